package io.vmclone.bridge.auth;

import java.util.Optional;

/** Who a bearer token belongs to, and what a user may do: Kubernetes' own answer (TokenReview, SubjectAccessReview). */
public interface Authorizer {
    /** The token's user, or empty if the token is not valid. Never logs or stores the token. */
    Optional<Identity> authenticate(String bearerToken);

    /** Whether {@code user} may do {@code permission}. */
    boolean allowed(Identity user, Permission permission);
}
