package io.vmclone.bridge;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.bridge.intake.RequestAnnotations;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.schemas.validation.CloneSpecValidator;
import io.vmclone.schemas.validation.SpecViolation;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Pure decision for one clone resource: {@code requested} when its spec is valid, {@code rejected}
 * naming the first invalid field otherwise (all violations are listed in the message).
 */
public final class CloneRequestDecider {
    private final CloneSpecValidator validator = new CloneSpecValidator();

    public CloneEvent fromResource(GenericKubernetesResource clone, OffsetDateTime now) {
        CloneRef ref = VirtualMachineClones.ref(clone);
        CloneSpec spec;
        try {
            spec = VirtualMachineClones.spec(clone);
        } catch (IllegalArgumentException e) {
            return rejected(ref, "spec", e.getMessage(), now);
        }
        List<SpecViolation> violations = validator.validate(spec);
        if (!violations.isEmpty()) {
            return rejected(ref, violations.get(0).field(), SpecViolation.summary(violations), now);
        }
        // A clone materialised from an external request carries who asked and what was decided; any other
        // clone was created through the API server, whose RBAC on virtualmachineclones is the check.
        var annotations = clone.getMetadata().getAnnotations();
        Requester requester = RequestAnnotations.requester(annotations)
                .orElseGet(() -> Requester.trusted(null, "created through the Kubernetes API (RBAC on virtualmachineclones)"));
        Origin origin = RequestAnnotations.origin(annotations);
        return CloneEvent.of(BridgeHandler.STAGE, EventType.REQUESTED,
                new Requested(ref, clone.getMetadata().getGeneration(), spec, requester, origin), now, null);
    }

    private static CloneEvent rejected(CloneRef ref, String field, String message, OffsetDateTime now) {
        return CloneEvent.of(BridgeHandler.STAGE, EventType.REJECTED,
                new Rejected(ref, BridgeHandler.STAGE, Reasons.INVALID_SPEC, field, message, null), now, null);
    }
}
