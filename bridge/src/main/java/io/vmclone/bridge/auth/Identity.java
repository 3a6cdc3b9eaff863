package io.vmclone.bridge.auth;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An authenticated (or asserted, for Kafka intake) Kubernetes user. {@code uid} and {@code extra} are what TokenReview
 * said besides the name and groups (a ServiceAccount token's pod and node binding, an OIDC user's claims): a
 * SubjectAccessReview must carry them too, or an authorizer (or webhook) that decides on them answers for a different user.
 * An asserted Kafka requester has neither.
 */
public record Identity(String username, List<String> groups, String uid, Map<String, List<String>> extra) {
    public Identity {
        groups = groups == null ? List.of() : List.copyOf(groups);
        // Sorted, so two reviews of the same user give the same cache key whatever order the API server used.
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> sorted.put(k, v == null ? List.of() : List.copyOf(v)));
        }
        extra = java.util.Collections.unmodifiableMap(sorted);
    }

    public Identity(String username, List<String> groups) {
        this(username, groups, null, null);
    }
}
