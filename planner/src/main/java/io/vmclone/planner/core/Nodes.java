package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Null-tolerant navigation of manifest trees (a missing or non-object step yields null). */
final class Nodes {
    private Nodes() {}

    static ObjectNode obj(JsonNode node, String... path) {
        JsonNode cur = node;
        for (String p : path) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur != null && cur.isObject() ? (ObjectNode) cur : null;
    }

    static ArrayNode array(JsonNode node, String... path) {
        JsonNode cur = node;
        for (String p : path) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur != null && cur.isArray() ? (ArrayNode) cur : null;
    }

    static String text(JsonNode node, String... path) {
        JsonNode cur = node;
        for (String p : path) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur != null && cur.isValueNode() && !cur.isNull() ? cur.asText() : null;
    }

    /** The object at {@code path} under {@code node}, created (and any non-object replaced) on the way. */
    static ObjectNode ensure(ObjectNode node, String... path) {
        ObjectNode cur = node;
        for (String p : path) {
            JsonNode next = cur.get(p);
            cur = next != null && next.isObject() ? (ObjectNode) next : cur.putObject(p);
        }
        return cur;
    }

    /** The VM's {@code spec.template.spec}, or null. */
    static ObjectNode vmiSpec(JsonNode vm) {
        return obj(vm, "spec", "template", "spec");
    }
}
