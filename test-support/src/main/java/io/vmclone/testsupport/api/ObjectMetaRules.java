package io.vmclone.testsupport.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The object-metadata rules of kube-apiserver the in-memory APIs enforce, because our code must meet them and a
 * mock that accepted anything once hid a 64-character label value: names at most 253 characters, label values
 * at most 63.
 */
public final class ObjectMetaRules {
    private ObjectMetaRules() {}

    /** What a real server would refuse (422) in {@code object}'s metadata, or null. */
    public static String violation(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").asText("");
        if (name.length() > 253) {
            return "metadata.name: Invalid value: must be no more than 253 characters";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.path("labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (label.getValue().asText("").length() > 63) {
                return "metadata.labels: Invalid value: \"" + label.getValue().asText() + "\": must be no more than 63 characters";
            }
        }
        return null;
    }
}
