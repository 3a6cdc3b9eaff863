package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Reasons;
import java.util.List;
import java.util.Set;

/**
 * Backend storage of the clone (KubeVirt refuses such sources, kubevirt#13864; we clone them). By
 * {@code backendStorage}: {@code Fresh} (default) plans nothing, so KubeVirt gives the target new TPM/EFI
 * state on its first start (TPM state can hold sealed secrets, such as BitLocker keys); {@code Copy} plans a
 * DataVolume cloning the source's persistent-state PVC (or restoring its VolumeSnapshot from a snapshot
 * source) under the name KubeVirt looks for when no PVC is labelled for the VM,
 * {@code persistent-state-for-<target>}; KubeVirt takes it on the first start and labels it.
 *
 * <p>Not labelled by us on purpose: CDI copies a DataVolume's labels to its PVC and re-creates a deleted PVC,
 * and KubeVirt deletes the old state PVC after a live migration; a labelled re-creation would be a second,
 * stale PVC labelled for the target, of which KubeVirt takes whichever it meets first. An unlabelled one only
 * counts when no labelled one exists.
 */
final class BackendStoragePlanner {
    static final String FIELD = "spec.backendStorage";

    /** The plan, the copy's DataVolume (null for Fresh), and the source claim it copies (null unless a PVC). */
    record Result(BackendStoragePlan plan, ObjectNode dataVolume, String sourceClaim) {}

    private final PlanInput in;
    private final String targetName;
    private final List<String> changes;

    BackendStoragePlanner(PlanInput in, String targetName, List<String> changes) {
        this.in = in;
        this.targetName = targetName;
        this.changes = changes;
    }

    /** {@code sourceVm} as read (with its status), {@code fromSnapshot} when it is the VM stored in a snapshot; null when none is needed. */
    Result plan(ObjectNode sourceVm, boolean fromSnapshot) {
        List<String> needs = BackendStorage.needs(sourceVm, fromSnapshot);
        if (needs.isEmpty()) {
            return null;
        }
        refuseStrangeStateForTarget();
        String what = "backend storage (" + String.join(", ", needs) + ")";
        if (!in.spec().copiesBackendStorage()) {
            changes.add(what + ": not copied, the target starts with fresh state; KubeVirt creates its persistent-state PVC"
                    + " on the first start (backendStorage: Fresh)");
            return new Result(new BackendStoragePlan(needs, CloneSpec.BACKEND_STORAGE_FRESH, null, null), null, null);
        }
        if (!holdsTpmOrEfi(needs)) {
            // KubeVirt does not restore CBT-only state from snapshots either: it describes the source's backups.
            changes.add(what + ": not copied, changed-block-tracking state belongs to the source's backups; KubeVirt"
                    + " starts tracking afresh for the target if it matches the CBT selectors (backendStorage: Copy)");
            return new Result(new BackendStoragePlan(needs, CloneSpec.BACKEND_STORAGE_COPY, null, null), null, null);
        }
        String vmName = Nodes.text(sourceVm, "metadata", "name");
        Copy copy = fromSnapshot ? fromSnapshot(vmName) : fromClaim(vmName);
        String dvName = BackendStorage.legacyClaimName(targetName);
        ObjectNode dv = DataVolumes.manifest(in.cloneRef(), dvName, BackendStorage.volumeName(targetName), copy.source(), copy.storage());
        changes.add(what + ": new DataVolume " + dvName + " " + copy.origin() + " (backendStorage: Copy); KubeVirt takes"
                + " the PVC of that name as the target's state on its first start");
        return new Result(new BackendStoragePlan(needs, CloneSpec.BACKEND_STORAGE_COPY, dvName, copy.from()), dv, copy.claim());
    }

    private static boolean holdsTpmOrEfi(List<String> needs) {
        return needs.contains(BackendStorage.TPM) || needs.contains(BackendStorage.EFI);
    }

    /**
     * The copy only while the patched target still has a persistent TPM or EFI: KubeVirt deletes the state PVC
     * of a VM that needs none, and CDI would clone it again, over and over.
     */
    static Result afterPatches(Result result, ObjectNode target, List<String> changes) {
        if (result == null || result.dataVolume() == null || holdsTpmOrEfi(BackendStorage.needs(target, true))) {
            return result;
        }
        changes.add("backend storage: copy " + result.plan().dataVolume() + " dropped, the patched target has no persistent"
                + " TPM or EFI (KubeVirt would delete its state PVC)");
        BackendStoragePlan plan = result.plan();
        return new Result(new BackendStoragePlan(plan.needs(), plan.mode(), null, null), null, result.sourceClaim());
    }

    /** What the copy's DataVolume clones, and from where. */
    private record Copy(ObjectNode source, ClaimStorage storage, String origin, String from, String claim) {}

    private Copy fromClaim(String vmName) {
        String ns = in.cloneRef().namespace();
        ObjectNode claim = BackendStorage.claimOf(vmName, in.stateClaims());
        if (claim == null) {
            throw new RejectedException(Reasons.SOURCE_UNSUPPORTED, FIELD, "backendStorage: Copy, but VirtualMachine " + ns + "/" + vmName
                    + " has no persistent-state PVC (label " + BackendStorage.LABEL + "=" + vmName + "); KubeVirt creates it when"
                    + " the VM first starts, so there is no state to copy: use backendStorage: Fresh");
        }
        String name = Nodes.text(claim, "metadata", "name");
        ObjectNode source = Json.MAPPER.createObjectNode();
        source.putObject("pvc").put("namespace", ns).put("name", name);
        return new Copy(source, ClaimStorage.ofPvc(claim), "cloning PVC " + name, "pvc " + name, name);
    }

    private Copy fromSnapshot(String vmName) {
        String volume = BackendStorage.volumeName(vmName == null ? "" : vmName);
        JsonNode backup = SnapshotSource.backupOf(in.snapshotContent(), volume);
        String snapshot = Nodes.text(backup, "volumeSnapshotName");
        if (snapshot == null) {
            throw new RejectedException(Reasons.SOURCE_UNSUPPORTED, FIELD, "backendStorage: Copy, but snapshot " + in.spec().source().name()
                    + " holds no backup of the VM's persistent state (volume " + volume + "; KubeVirt leaves it out when the"
                    + " VM-state storage class cannot take snapshots): use backendStorage: Fresh");
        }
        ObjectNode source = Json.MAPPER.createObjectNode();
        source.putObject("snapshot").put("namespace", in.cloneRef().namespace()).put("name", snapshot);
        return new Copy(source, ClaimStorage.ofPvc(backup.get("persistentVolumeClaim")), "restoring VolumeSnapshot " + snapshot,
                "snapshot " + snapshot, null);
    }

    /**
     * A persistent-state PVC already held for the target name (left by a deleted VM of that name, say) would be
     * handed to the new VM by KubeVirt, whatever we plan. Ours (same clone uid) is a replay; with an existing
     * target of ours, any such claim is that target's own.
     */
    private void refuseStrangeStateForTarget() {
        if (in.existingTarget() != null) {
            return;
        }
        for (ObjectNode claim : in.stateClaims()) {
            if (BackendStorage.heldFor(claim, targetName) && !Ownership.ownedBy(claim, in.cloneRef())) {
                throw new RejectedException(Reasons.TARGET_EXISTS, "spec.target.name", "PVC " + Nodes.text(claim, "metadata", "name")
                        + " already holds persistent state for VirtualMachine " + in.cloneRef().namespace() + "/" + targetName
                        + " (label " + BackendStorage.LABEL + "=" + targetName + " or its legacy name), and KubeVirt would give it"
                        + " to the clone; delete it or choose another target name");
            }
        }
    }

    /** The copy may not take the name of a disk's DataVolume or of a source claim. */
    static void refuseNameClash(Result result, List<ObjectNode> diskDataVolumes, Set<String> sourceClaimNames) {
        if (result == null || result.dataVolume() == null) {
            return;
        }
        String name = result.plan().dataVolume();
        boolean clash = sourceClaimNames.contains(name)
                || diskDataVolumes.stream().anyMatch(dv -> name.equals(Nodes.text(dv, "metadata", "name")));
        if (clash) {
            throw new RejectedException(Reasons.TARGET_EXISTS, FIELD, "planned DataVolume " + name + " for the backend-storage copy"
                    + " has the name of a disk's DataVolume or of a claim the source uses; choose another target name or use"
                    + " backendStorage: Fresh");
        }
    }
}
