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
 * @param sourceVm        the source VM manifest, as read (status included); null when it does not exist. Not used
 *                        for a VirtualMachineSnapshot source, whose VM is the one stored in {@code snapshotContent}
 * @param snapshot        the source VirtualMachineSnapshot; null unless the source is one (or when it does not exist)
 * @param snapshotContent the snapshot's VirtualMachineSnapshotContent ({@link SnapshotSource#contentName}); null
 *                        unless the source is a snapshot (or when it does not exist)
 * @param sourceClaims    PVCs and DataVolumes (told apart by their {@code kind}) that the VM's volumes reference;
 *                        may be incomplete, then sizes and storage classes are left to CDI
 * @param stateClaims     PVCs KubeVirt would take as the persistent state ({@link BackendStorage}) of the source VM
 *                        or of the target name: labelled {@code persistent-state-for=<name>} or named
 *                        {@code persistent-state-for-<name>}; read when the source needs backend storage
 * @param sourceRunning   whether the source VM runs ({@link SourceRunState})
 * @param existingTarget  the VM that already carries the target name, else null
 */
public record PlanInput(
        CloneRef cloneRef,
        CloneSpec spec,
        ObjectNode sourceVm,
        ObjectNode snapshot,
        ObjectNode snapshotContent,
        List<ObjectNode> sourceClaims,
        List<ObjectNode> stateClaims,
        boolean sourceRunning,
        ObjectNode existingTarget) {

    public PlanInput {
        sourceClaims = sourceClaims == null ? List.of() : List.copyOf(sourceClaims);
        stateClaims = stateClaims == null ? List.of() : List.copyOf(stateClaims);
    }
}
