package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.validation.CloneSpecValidator;
import io.vmclone.schemas.validation.SpecViolation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pure clone planner: {@link PlanInput} → {@link Plan} or {@link Rejection}. No I/O, no clock, no
 * randomness: the same input always plans the same output, so a replayed request is harmless.
 * The rules are listed in {@code docs/planning.md}; each step lives in its own class.
 */
public final class ClonePlanner {

    private final CloneSpecValidator validator = new CloneSpecValidator();

    public PlanOutcome plan(PlanInput in) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(in.cloneRef(), "cloneRef");
        try {
            return planOrThrow(in);
        } catch (RejectedException e) {
            return e.rejection();
        }
    }

    private Plan planOrThrow(PlanInput in) {
        CloneRef clone = in.cloneRef();
        CloneSpec spec = in.spec();
        List<SpecViolation> violations = validator.validate(spec);
        if (!violations.isEmpty()) {
            throw new RejectedException(Reasons.INVALID_SPEC, violations.get(0).field(),
                    SpecViolation.summary(violations));
        }
        ObjectNode source = sourceVm(in);
        String targetName = TargetNaming.resolve(clone, spec);
        checkTarget(in, targetName);

        List<String> changes = new ArrayList<>();
        ObjectNode vm = source.deepCopy();
        IdentityReset.apply(vm, clone.namespace(), targetName, changes);
        MetadataPolicy.apply(vm, spec, changes);
        if (spec.copiesNetwork()) {
            MacAddressPolicy.apply(vm, spec.newMacAddresses(), changes);
        } else {
            MacAddressPolicy.dropNetwork(vm, changes);
            if (spec.newMacAddresses() != null && !spec.newMacAddresses().isEmpty()) {
                changes.add("newMacAddresses ignored: cloneNetwork=false leaves no interfaces");
            }
        }
        FirmwarePolicy.apply(vm, spec.newSMBiosSerial(), changes);
        VolumePlanner.Result volumes = new VolumePlanner(clone, spec, targetName, isSnapshot(spec) ? in.snapshotContent() : null,
                new SourceClaims(in.sourceClaims()), changes).plan(vm);
        // Decided on the VM as read: its status says whether changed block tracking keeps state.
        BackendStoragePlanner.Result backend = new BackendStoragePlanner(in, targetName, changes).plan(source, isSnapshot(spec));
        BackendStoragePlanner.refuseNameClash(backend, volumes.dataVolumes(), volumes.sourceClaimNames());

        // Stamped before the patches too, so /metadata/labels/... and /metadata/annotations/... exist for "add".
        Ownership.stamp(Nodes.ensure(vm, "metadata"), clone);
        vm = PatchApplier.apply(vm, spec.patches(), changes);
        IdentityBlanks.dropAfterPatches(vm);
        startAfterCloning(vm, spec.targetRunStrategy(), changes);
        backend = BackendStoragePlanner.afterPatches(backend, vm, changes);
        List<ObjectNode> dataVolumes = new ArrayList<>(volumes.dataVolumes());
        Set<String> sourceClaimNames = new LinkedHashSet<>(volumes.sourceClaimNames());
        if (backend != null && backend.dataVolume() != null) {
            dataVolumes.add(backend.dataVolume());
        }
        if (backend != null && backend.sourceClaim() != null) {
            sourceClaimNames.add(backend.sourceClaim());
        }
        enforceInvariants(vm, clone, targetName, sourceClaimNames, changes);
        return new Plan(targetName, vm, dataVolumes, changes, backend == null ? null : backend.plan());
    }

    /**
     * The target is created halted whatever is asked: a VM started before its disks are copied would boot from
     * half a disk. The run strategy asked for is left on the VM for the executor, which sets it once every volume
     * is copied.
     */
    private static void startAfterCloning(ObjectNode vm, String strategy, List<String> changes) {
        if (strategy == null || "Halted".equals(strategy)) {
            return;
        }
        Nodes.ensure(vm, "metadata", "annotations").put(CloneLabels.RUN_STRATEGY_AFTER_CLONE, strategy);
        changes.add("runStrategy: Halted until every volume is copied, then " + strategy + " (spec.targetRunStrategy)");
    }

    /** The VM to clone: the live VM, or the one in a ready, consistent snapshot; else a rejection. */
    private static ObjectNode sourceVm(PlanInput in) {
        CloneSpec spec = in.spec();
        String sourceRef = in.cloneRef().namespace() + "/" + spec.source().name();
        if (isSnapshot(spec)) {
            // A snapshot is a point in time: whether its VM runs now does not matter.
            return SnapshotSource.vmOf(in.cloneRef().namespace(), spec.source().name(), in.snapshot(), in.snapshotContent());
        }
        if (in.sourceVm() == null) {
            throw new RejectedException(Reasons.SOURCE_NOT_FOUND, "spec.source.name", "source VirtualMachine " + sourceRef + " not found");
        }
        if (in.sourceRunning()) {
            throw new RejectedException(Reasons.SOURCE_RUNNING, "spec.source.name",
                    "source VirtualMachine " + sourceRef + " is running; offline cloning only: stop it first");
        }
        return in.sourceVm();
    }

    private static void checkTarget(PlanInput in, String targetName) {
        CloneSpec spec = in.spec();
        if (!isSnapshot(spec) && targetName.equals(spec.source().name())) {
            throw new RejectedException(Reasons.INVALID_SPEC, "spec.target.name",
                    "Target name cannot be equal to source name when both are VirtualMachines");
        }
        // KubeVirt leaves such a clone in RestoreInProgress forever (#10935); we refuse up front.
        // An existing target labelled with this clone's uid is our own earlier attempt: plan it again.
        if (in.existingTarget() != null && !Ownership.ownedBy(in.existingTarget(), in.cloneRef())) {
            throw new RejectedException(Reasons.TARGET_EXISTS, "spec.target.name",
                    "target VirtualMachine " + in.cloneRef().namespace() + "/" + targetName
                            + " already exists and was not created by this clone");
        }
    }

    /** What no filter or user patch may undo: identity, halted, ownership, no shared claims. */
    private static void enforceInvariants(ObjectNode vm, CloneRef clone, String targetName, Set<String> sourceClaimNames,
            List<String> changes) {
        ObjectNode metadata = Nodes.ensure(vm, "metadata");
        metadata.put("name", targetName);
        metadata.put("namespace", clone.namespace());
        List<String> ignored = new ArrayList<>();
        IdentityReset.halt(vm, ignored);
        if (!ignored.isEmpty()) {
            changes.add("patches changed the run state; ignored, the target is created halted");
        }
        Ownership.stamp(metadata, clone);
        List<String> shared = VolumePlanner.referencesToSourceClaims(vm, sourceClaimNames);
        if (!shared.isEmpty()) {
            throw new RejectedException(Reasons.INVALID_SPEC, "spec.patches",
                    String.join("; ", shared) + ": the target may not share storage with the source");
        }
    }

    private static boolean isSnapshot(CloneSpec spec) {
        return CloneSpec.KIND_SNAPSHOT.equals(spec.source().kind());
    }
}
