package io.vmclone.schemas.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One thing wrong with a clone spec.
 *
 * @param field   path of the offending field in the clone manifest, e.g. {@code spec.newMacAddresses.nic0}
 * @param message what is wrong, worded like KubeVirt's admission webhook where KubeVirt has a rule
 */
public record SpecViolation(String field, String message) {

    /** Every violation as {@code <field>: <message>}, joined by "; ": the one way a list of them is told to a user. */
    public static String summary(List<SpecViolation> violations) {
        return summary(violations, "");
    }

    /** The same, each field under {@code prefix} (e.g. {@code data.} for a request's spec). */
    public static String summary(List<SpecViolation> violations, String prefix) {
        return violations.stream().map(v -> prefix + v.field() + ": " + v.message()).collect(Collectors.joining("; "));
    }
}
