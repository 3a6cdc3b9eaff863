package io.vmclone.testsupport.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A Kubernetes REST path taken apart: {@code /api/v1/namespaces/ns/events/e},
 * {@code /apis/kubevirt.io/v1/namespaces/ns/virtualmachines/vm/status}, {@code /apis/g/v/plural} (cluster-scoped,
 * or every namespace). The version is kept only to answer with it: objects are stored per group and plural.
 *
 * @param namespace null for a cluster-scoped object, or a list/watch across namespaces
 * @param name null for the collection
 * @param subresource null, or e.g. {@code status}
 */
record ApiPath(String group, String version, String plural, String namespace, String name, String subresource,
               Map<String, String> query) {

    /** Null when the path is not a resource path (discovery, {@code /version} …). */
    static ApiPath parse(String raw) {
        String[] pathAndQuery = (raw == null ? "" : raw).split("\\?", 2);
        String[] seg = java.util.Arrays.stream(pathAndQuery[0].split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        int rest;
        String group;
        if (seg.length >= 3 && seg[0].equals("api")) {
            group = "";
            rest = 2;
        } else if (seg.length >= 4 && seg[0].equals("apis")) {
            group = seg[1];
            rest = 3;
        } else {
            return null;
        }
        String version = seg[rest - 1];
        String namespace = null;
        if (seg.length - rest >= 3 && seg[rest].equals("namespaces")) {
            namespace = decode(seg[rest + 1]);
            rest += 2;
        }
        if (seg.length - rest > 3) {
            return null;
        }
        String plural = seg[rest];
        String name = seg.length - rest >= 2 ? decode(seg[rest + 1]) : null;
        String sub = seg.length - rest == 3 ? seg[rest + 2] : null;
        return new ApiPath(group, version, plural, namespace, name, sub, query(pathAndQuery.length > 1 ? pathAndQuery[1] : ""));
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new HashMap<>();
        for (String pair : q.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                out.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Where objects of this kind live: one store per group and plural, whatever the version. */
    String collection() {
        return plural + (group.isEmpty() ? "" : "." + group);
    }

    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    boolean isWatch() {
        String w = query.get("watch");
        return "true".equals(w) || "1".equals(w);
    }

    String param(String key) {
        return query.get(key);
    }
}
