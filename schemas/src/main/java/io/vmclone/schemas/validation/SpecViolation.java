package io.vmclone.schemas.validation;

/**
 * One thing wrong with a clone spec.
 *
 * @param field   path of the offending field in the clone manifest, e.g. {@code spec.newMacAddresses.nic0}
 * @param message what is wrong, worded like KubeVirt's admission webhook where KubeVirt has a rule
 */
public record SpecViolation(String field, String message) {}
