package io.vmclone.schemas.sets;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.schemas.kube.CloneStatus.Condition;
import java.util.List;
import java.util.Map;

/**
 * {@code status} of a VirtualMachineCloneSet, written by the bridge: how many clones exist, how many are in
 * each phase (a clone without a status yet counts as {@code Pending}), the failed ones with their reasons
 * (at most {@link #MAX_FAILURES}), and a {@code Ready} condition that is True once every replica succeeded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloneSetStatus(
        Long observedGeneration,
        Integer replicas,
        Integer clones,
        Integer succeeded,
        Integer failed,
        Map<String, Integer> phases,
        List<Failure> failures,
        List<Condition> conditions) {

    public static final int MAX_FAILURES = 20;
    public static final String READY = "Ready";
    /** Ready's reasons. */
    public static final String ALL_SUCCEEDED = "AllSucceeded";
    public static final String CLONING = "Cloning";
    public static final String CLONES_FAILED = "ClonesFailed";
    public static final String INVALID_SPEC = "InvalidSpec";

    /** One clone of the set that failed, was cancelled, or was rejected: its name and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String name, String phase, String reason, String message) {}

    public Condition condition(String type) {
        return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
    }
}
