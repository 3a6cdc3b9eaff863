package io.vmclone.cli;

import io.vmclone.schemas.sets.CloneSetSpec;
import io.vmclone.schemas.validation.CloneSetValidator;
import io.vmclone.schemas.validation.SpecViolation;
import java.util.List;

/** The clone set that {@code create cloneset} prints and {@code clone --replicas} creates, validated before it goes out. */
final class CloneSetSpecs {
    private CloneSetSpecs() {}

    /** A set of {@code replicas} clones of {@code source}, the spec flags as template; a UsageException names the first problem. */
    static CloneSetSpec of(SpecFlags flags, String source, int replicas, String targetNamePattern, String patternFlag, String setName) {
        CloneSetSpec set = new CloneSetSpec(replicas, targetNamePattern == null || targetNamePattern.isEmpty() ? null : targetNamePattern,
                flags.toSpec(source, null));
        List<SpecViolation> violations = new CloneSetValidator().validate(setName, set);
        if (!violations.isEmpty()) {
            SpecViolation first = violations.get(0);
            throw UsageException.field(flagFor(first.field(), patternFlag), first.message());
        }
        return set;
    }

    /** The flag a user gave for a set field, where there is one. */
    private static String flagFor(String field, String patternFlag) {
        return switch (field) {
            case "spec.replicas" -> "--replicas";
            case "spec.targetNamePattern" -> patternFlag;
            case "metadata.name" -> "--name";
            default -> field;
        };
    }
}
