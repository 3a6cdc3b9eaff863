package io.vmclone.bridge.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * {@link Authorizer} backed by the API server: {@code TokenReview} (authentication.k8s.io/v1) and
 * {@code SubjectAccessReview} (authorization.k8s.io/v1). The bridge's service account needs
 * {@code create} on both (the {@code system:auth-delegator} ClusterRole).
 */
public final class KubernetesAuthorizer implements Authorizer {
    private final KubernetesClient kube;
    private final List<String> audiences;

    /**
     * @param audiences the audiences a caller's token must be issued for ({@code VMCLONE_BRIDGE_TOKEN_AUDIENCES},
     *                  default {@code vmclone}): a token for the API server itself is refused, so one sent to the
     *                  bridge cannot be replayed against the API server, nor one for the API server used here
     */
    public KubernetesAuthorizer(KubernetesClient kube, List<String> audiences) {
        this.kube = kube;
        this.audiences = List.copyOf(audiences);
    }

    @Override
    public Optional<Identity> authenticate(String bearerToken) {
        TokenReview review = kube.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(bearerToken).withAudiences(audiences).endSpec().build());
        var status = review == null ? null : review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null
                || status.getUser().getUsername() == null) {
            return Optional.empty();
        }
        // The API server authenticates only tokens for one of the audiences asked and names those it matched.
        if (status.getAudiences() != null && !status.getAudiences().isEmpty()
                && status.getAudiences().stream().noneMatch(audiences::contains)) {
            return Optional.empty();
        }
        var user = status.getUser();
        return Optional.of(new Identity(user.getUsername(), user.getGroups(), user.getUid(), user.getExtra()));
    }

    @Override
    public boolean allowed(Identity user, Permission p) {
        SubjectAccessReview review = kube.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user.username())
                .withGroups(user.groups().isEmpty() ? null : user.groups())
                // The whole reviewed user, not only name and groups: an authorizer may decide on uid or extra
                // (e.g. a ServiceAccount token's pod binding), as the API server itself would for this user.
                .withUid(user.uid())
                .withExtra(user.extra().isEmpty() ? null : user.extra())
                .withNewResourceAttributes()
                .withVerb(p.verb()).withGroup(p.group()).withResource(p.resource())
                .withNamespace(p.namespace()).withName(p.name())
                .endResourceAttributes()
                .endSpec()
                .build());
        return review != null && review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
    }
}
