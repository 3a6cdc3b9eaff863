package io.vmclone.bridge.intake;

import io.vmclone.bridge.auth.Authorizer;
import io.vmclone.bridge.auth.Permission;
import io.vmclone.bridge.auth.RequiredPermissions;
import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.runtime.TransientFailure;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.KubeResources;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one path every external request takes, whatever its channel: validate, authorize the requester
 * (if there is one), then materialise the clone resource. Refusals create nothing.
 */
public final class RequestIntake {
    private final RequestCheck check;
    private final Authorizer authorizer;
    private final CloneMaterializer materializer;

    public RequestIntake(RequestCheck check, Authorizer authorizer, CloneMaterializer materializer) {
        this.check = check;
        this.authorizer = authorizer;
        this.materializer = materializer;
    }

    public RequestOutcome submit(ExternalRequest r) throws TransientFailure {
        Optional<Refused> badIdentity = RequestCheck.checkIdentity(r.source(), r.id());
        if (badIdentity.isPresent()) {
            return badIdentity.get();
        }
        Optional<Refused> invalid = check.check(r.request());
        if (invalid.isPresent()) {
            return invalid.get();
        }
        Requester requester;
        if (r.requester() == null) {
            requester = Requester.trusted(null, trustReason(r));
        } else {
            List<Permission> needed = RequiredPermissions.of(r.request().namespace(), r.request().spec());
            List<Permission> missing = needed.stream().filter(p -> !authorizer.allowed(r.requester(), p)).toList();
            if (!missing.isEmpty()) {
                return new Refused(Kind.FORBIDDEN, Reasons.UNAUTHORIZED, "requester",
                        "user '" + r.requester().username() + "' may not " + describe(missing));
            }
            requester = new Requester(r.requester().username(), r.requester().groups().isEmpty() ? null : r.requester().groups(),
                    "allowed", "SubjectAccessReview allowed " + describe(needed));
        }
        return visibleTo(r, materializer.materialise(r, requester));
    }

    /**
     * A conflicting duplicate names the earlier clone, which may be in another namespace: a requester who may not
     * read clones there learns only that the id was used (not where, nor under what name).
     */
    private RequestOutcome visibleTo(ExternalRequest r, RequestOutcome outcome) {
        if (!(outcome instanceof Refused refused) || refused.original() == null || r.requester() == null
                || refused.original().namespace().equals(r.request().namespace())) {
            return outcome;
        }
        var original = refused.original();
        Permission read = new Permission("get", materializer.group(), KubeResources.CLONE_PLURAL, original.namespace(), original.name());
        if (authorizer.allowed(r.requester(), read)) {
            return outcome;
        }
        return new Refused(refused.kind(), refused.reason(), refused.field(), "request id '" + r.id() + "' from source '" + r.source()
                + "' was already used for a different request, in a namespace the requester may not read");
    }

    /** An intake request without a requester got here only from a trusted source ({@link IntakeConsumer}). */
    private static String trustReason(ExternalRequest r) {
        return Origin.HTTP.equals(r.channel()) ? "HTTP request without a requester" : IntakeTrust.trustedReason(r.source());
    }

    private static String describe(List<Permission> permissions) {
        return permissions.stream().map(Permission::describe).collect(Collectors.joining("; "));
    }
}
