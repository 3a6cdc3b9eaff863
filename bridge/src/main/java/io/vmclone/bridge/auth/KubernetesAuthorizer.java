package io.vmclone.bridge.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * {@link Authorizer} backed by the API server: {@code TokenReview} (authentication.k8s.io/v1) and
 * {@code SubjectAccessReview} (authorization.k8s.io/v1). The bridge's service account needs
 * {@code create} on both (the {@code system:auth-delegator} ClusterRole).
 */
public final class KubernetesAuthorizer implements Authorizer {
    private final KubernetesClient kube;

    public KubernetesAuthorizer(KubernetesClient kube) {
        this.kube = kube;
    }

    @Override
    public Optional<Identity> authenticate(String bearerToken) {
        TokenReview review = kube.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(bearerToken).endSpec().build());
        var status = review == null ? null : review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null
                || status.getUser().getUsername() == null) {
            return Optional.empty();
        }
        return Optional.of(new Identity(status.getUser().getUsername(), status.getUser().getGroups()));
    }

    @Override
    public boolean allowed(Identity user, Permission p) {
        SubjectAccessReview review = kube.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user.username())
                .withGroups(user.groups().isEmpty() ? null : user.groups())
                .withNewResourceAttributes()
                .withVerb(p.verb()).withGroup(p.group()).withResource(p.resource())
                .withNamespace(p.namespace()).withName(p.name())
                .endResourceAttributes()
                .endSpec()
                .build());
        return review != null && review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
    }
}
