package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import java.util.List;

/**
 * Everything the planner needs, already read from the cluster. Nothing here is fetched lazily, so
 * planning is a pure function of this record.
 *
 * @param cloneRef        the VirtualMachineClone's identity; its uid seeds every generated name
 * @param spec            the clone's spec
 * @param sourceVm        the source VM manifest, or the VM stored in the snapshot content when the source
 *                        is a VirtualMachineSnapshot; null when the source does not exist
 * @param snapshotContent the VirtualMachineSnapshotContent; null unless the source is a snapshot
 * @param sourceClaims    PVCs and DataVolumes (told apart by their {@code kind}) that the VM's volumes
 *                        reference; may be incomplete, then sizes and storage classes are left to CDI
 * @param sourceRunning   whether the source VM runs (a VMI exists, or its status says so)
 * @param existingTarget  the VM that already carries the target name, else null
 */
public record PlanInput(
        CloneRef cloneRef,
        CloneSpec spec,
        ObjectNode sourceVm,
        ObjectNode snapshotContent,
        List<ObjectNode> sourceClaims,
        boolean sourceRunning,
        ObjectNode existingTarget) {

    public PlanInput {
        sourceClaims = sourceClaims == null ? List.of() : List.copyOf(sourceClaims);
    }
}
