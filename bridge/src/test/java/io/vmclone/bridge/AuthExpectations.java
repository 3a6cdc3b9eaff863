package io.vmclone.bridge;

import io.vmclone.testsupport.MockCluster;
import java.util.Map;

/**
 * The cluster's answers to TokenReview and SubjectAccessReview, as mock-server expectations: a token
 * names its user ({@code tokens}: token → user); a user is allowed everything except the resources
 * listed in {@code denied} (user → resource plural).
 */
final class AuthExpectations {
    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private AuthExpectations() {}

    static void install(MockCluster cluster, Map<String, String> tokens, Map<String, String> denied) {
        cluster.server().expect().post().withPath(TOKEN_REVIEWS).andReply(201, req -> {
            String body = req.getUtf8Body();
            String user = tokens.entrySet().stream().filter(e -> body.contains("\"" + e.getKey() + "\""))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            String status = user == null ? "{\"authenticated\":false,\"error\":\"invalid token\"}"
                    : "{\"authenticated\":true,\"user\":{\"username\":\"" + user + "\",\"groups\":[\"system:authenticated\"]}}";
            return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":" + status + "}";
        }).always();
        cluster.server().expect().post().withPath(ACCESS_REVIEWS).andReply(201, req -> {
            String body = req.getUtf8Body();
            boolean deny = denied.entrySet().stream().anyMatch(e -> body.contains("\"user\":\"" + e.getKey() + "\"")
                    && body.contains("\"resource\":\"" + e.getValue() + "\""));
            return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":"
                    + !deny + (deny ? ",\"reason\":\"no RBAC rule\"" : "") + "}}";
        }).always();
    }
}
