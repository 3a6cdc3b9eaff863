package io.vmclone.cli.sandbox;

import io.vmclone.testsupport.MockCluster;

/**
 * The in-memory API has no authentication: it answers the bridge's TokenReview for the token
 * {@value #TOKEN} (user {@value #USER}) and allows every SubjectAccessReview, so HTTP requests with
 * {@code Authorization: Bearer sandbox} work. Any other token is refused, as a real cluster would.
 */
final class SandboxAuth {
    static final String TOKEN = "sandbox";
    static final String USER = "sandbox-user";

    private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private SandboxAuth() {}

    static void install(MockCluster cluster) {
        cluster.server().expect().post().withPath(TOKEN_REVIEWS).andReply(201, req -> {
            boolean known = req.getUtf8Body().contains("\"token\":\"" + TOKEN + "\"");
            String status = known
                    ? "{\"authenticated\":true,\"user\":{\"username\":\"" + USER + "\",\"groups\":[\"system:authenticated\"]}}"
                    : "{\"authenticated\":false,\"error\":\"unknown token (the sandbox accepts '" + TOKEN + "')\"}";
            return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":" + status + "}";
        }).always();
        cluster.server().expect().post().withPath(ACCESS_REVIEWS).andReply(201, req ->
                "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":true}}").always();
    }
}
