package io.vmclone.schemas.sets;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.schemas.CloneSpec;

/**
 * {@code spec} of a VirtualMachineCloneSet (a vmclone extension; KubeVirt has no such kind): {@code replicas}
 * clones of one source, each a VirtualMachineClone owned by the set, with target names from
 * {@code targetNamePattern} (null: {@code <set name>-{index}}) and everything else from {@code template}, a
 * VirtualMachineClone spec without a target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloneSetSpec(Integer replicas, String targetNamePattern, CloneSpec template) {

    /** The most replicas one set may ask for: a fleet beyond that is several sets (and a sign of a typo). */
    public static final int MAX_REPLICAS = 1000;

    public int replicaCount() {
        return replicas == null ? 0 : replicas;
    }

    /** The pattern that names the targets, {@code <set name>-{index}} when none is given. */
    public String patternFor(String setName) {
        return targetNamePattern == null || targetNamePattern.isEmpty() ? setName + "-" + TargetNamePattern.INDEX : targetNamePattern;
    }
}
