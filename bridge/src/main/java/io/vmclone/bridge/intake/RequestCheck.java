package io.vmclone.bridge.intake;

import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.validation.CloneSpecValidator;
import io.vmclone.schemas.validation.SpecViolation;
import java.util.List;
import java.util.Optional;

/**
 * Pure checks of a decoded request beyond its JSON Schema: the namespace is one the bridge serves, the
 * name is a DNS-1123 label and the spec passes the same rules as a VirtualMachineClone resource. Fields
 * are named as in the CloudEvent ({@code data.spec.source.kind}).
 */
public final class RequestCheck {
    private final CloneSpecValidator validator = new CloneSpecValidator();
    private final List<String> namespaces;

    /** @param namespaces the namespaces the bridge watches; empty = all */
    public RequestCheck(List<String> namespaces) {
        this.namespaces = List.copyOf(namespaces);
    }

    public Optional<Refused> check(CloneRequest request) {
        String ns = request.namespace();
        if (ns == null || !CloneSpecValidator.isDns1123Label(ns)) {
            return invalid(Reasons.INVALID_REQUEST, "data.namespace", "must be a DNS-1123 label, got '" + ns + "'");
        }
        if (!namespaces.isEmpty() && !namespaces.contains(ns)) {
            return invalid(Reasons.INVALID_REQUEST, "data.namespace", "'" + ns + "' is not served by this bridge (serves " + namespaces + ")");
        }
        if (request.name() != null && !CloneSpecValidator.isDns1123Label(request.name())) {
            return invalid(Reasons.INVALID_REQUEST, "data.name", "must be a DNS-1123 label of at most 63 characters, got '" + request.name() + "'");
        }
        List<SpecViolation> violations = validator.validate(request.spec());
        if (!violations.isEmpty()) {
            SpecViolation first = violations.get(0);
            return invalid(Reasons.INVALID_SPEC, "data." + first.field(),
                    violations.size() == 1 ? first.message() : SpecViolation.summary(violations, "data."));
        }
        return Optional.empty();
    }

    /** Longest request {@code id} taken: it is stored in an annotation and quoted in every answer. */
    public static final int MAX_ID = 256;
    /** Longest request {@code source} taken. */
    public static final int MAX_SOURCE = 1024;

    /**
     * The CloudEvent's identity (source + id, the idempotency key) within our limits: bounded, and without
     * control characters, which audits and terminals do not show (a request could pass for another).
     */
    public static Optional<Refused> checkIdentity(String source, String id) {
        Optional<Refused> badId = bounded("id", id, MAX_ID);
        return badId.isPresent() ? badId : bounded("source", source, MAX_SOURCE);
    }

    private static Optional<Refused> bounded(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            return invalid(Reasons.INVALID_REQUEST, field, "is required and may not be empty");
        }
        if (value.length() > max) {
            return invalid(Reasons.INVALID_REQUEST, field, "must be at most " + max + " characters, got " + value.length());
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            return invalid(Reasons.INVALID_REQUEST, field, "may not contain control characters");
        }
        return Optional.empty();
    }

    private static Optional<Refused> invalid(String reason, String field, String message) {
        return Optional.of(new Refused(Kind.INVALID, reason, field, message));
    }
}
