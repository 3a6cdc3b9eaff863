package io.vmclone.bridge;

import io.vmclone.testsupport.MockCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster's answers to TokenReview and SubjectAccessReview, as mock-server expectations: a token
 * names its user ({@code tokens}: token → user); a user is allowed everything except the resources
 * listed in {@code denied} (user → resource plural). Every review asked is recorded, so a test can count them.
 */
final class AuthExpectations {
    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    /** A user whose TokenReview also names a uid and extra (as for a ServiceAccount token bound to a pod). */
    static final String BOUND_USER = "system:serviceaccount:default:bound";
    static final String BOUND_UID = "5f0c1d2e-uid-of-bound";

    /** TokenReviews asked, by token; SubjectAccessReview request bodies, in order. */
    final Map<String, AtomicInteger> tokenReviews = new ConcurrentHashMap<>();
    final List<String> accessReviews = new CopyOnWriteArrayList<>();

    private AuthExpectations() {}

    static AuthExpectations install(MockCluster cluster, Map<String, String> tokens, Map<String, String> denied) {
        AuthExpectations seen = new AuthExpectations();
        cluster.server().expect().post().withPath(TOKEN_REVIEWS).andReply(201, req -> {
            String body = req.getUtf8Body();
            var token = tokens.keySet().stream().filter(t -> body.contains("\"" + t + "\"")).findFirst();
            seen.tokenReviews.computeIfAbsent(token.orElse("<unknown>"), t -> new AtomicInteger()).incrementAndGet();
            String user = token.map(tokens::get).orElse(null);
            String extra = BOUND_USER.equals(user) ? ",\"uid\":\"" + BOUND_UID
                    + "\",\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"ticketing-7d9\"]}" : "";
            String status = user == null ? "{\"authenticated\":false,\"error\":\"invalid token\"}"
                    : "{\"authenticated\":true,\"user\":{\"username\":\"" + user + "\",\"groups\":[\"system:authenticated\"]" + extra + "}}";
            return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":" + status + "}";
        }).always();
        cluster.server().expect().post().withPath(ACCESS_REVIEWS).andReply(201, req -> {
            String body = req.getUtf8Body();
            seen.accessReviews.add(body);
            boolean deny = denied.entrySet().stream().anyMatch(e -> body.contains("\"user\":\"" + e.getKey() + "\"")
                    && body.contains("\"resource\":\"" + e.getValue() + "\""));
            return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":"
                    + !deny + (deny ? ",\"reason\":\"no RBAC rule\"" : "") + "}}";
        }).always();
        return seen;
    }

    int tokenReviewsOf(String token) {
        AtomicInteger n = tokenReviews.get(token);
        return n == null ? 0 : n.get();
    }

    long accessReviewsOf(String user) {
        return accessReviews.stream().filter(b -> b.contains("\"user\":\"" + user + "\"")).count();
    }
}
