package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TypedRef;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Legality bullet: missing/running source, target clashes, invalid spec. */
class LegalityTest {

    private final CorpusFixture fedora = CorpusFixture.load("fedora-datavolumetemplates.yaml");

    private PlanOutcome plan(CloneRef clone, CloneSpec spec, ObjectNode source, boolean running, ObjectNode existing) {
        return PLANNER.plan(vmInput(clone, spec, source, fedora.claims(), running, existing));
    }

    @Test
    void missingSourceVmIsRejectedNamingIt() {
        Rejection r = rejected(plan(Specs.CLONE, Specs.from("fedora").build(), null, false, null));
        assertThat(r.reason()).isEqualTo(Reasons.SOURCE_NOT_FOUND);
        assertThat(r.field()).isEqualTo("spec.source.name");
        assertThat(r.message()).isEqualTo("source VirtualMachine vms/fedora not found");
    }

    @Test
    void missingSnapshotIsRejectedNamingIt() {
        Specs s = new Specs();
        s.source = TypedRef.snapshot("golden");
        Rejection r = rejected(plan(Specs.CLONE, s.build(), null, false, null));
        assertThat(r.reason()).isEqualTo(Reasons.SOURCE_NOT_FOUND);
        assertThat(r.message()).contains("VirtualMachineSnapshot vms/golden");
    }

    @Test
    void runningSourceIsRejectedOfflineOnly() {
        Rejection r = rejected(plan(Specs.CLONE, Specs.from("fedora").build(), fedora.vm(), true, null));
        assertThat(r.reason()).isEqualTo(Reasons.SOURCE_RUNNING);
        assertThat(r.message()).contains("vms/fedora").contains("offline cloning only");
    }

    @Test
    void runningVmDoesNotMatterForASnapshotSource() {
        ObjectNode content = CorpusFixture.load("snapshots/fedora-snapshot-content.yaml").vm();
        Specs s = new Specs();
        s.source = TypedRef.snapshot("fedora-golden");
        PlanOutcome outcome = PLANNER.plan(new PlanInput(Specs.CLONE, s.build(), fedora.vm(),
                readySnapshot("fedora-golden", "vmsnapshot-content-7d1f"), content, List.of(), List.of(), true, null));
        assertThat(outcome).isInstanceOf(Plan.class);
    }

    @Test
    void targetEqualToSourceIsRejected() {
        Rejection r = rejected(plan(Specs.CLONE, Specs.from("fedora").target("fedora").build(), fedora.vm(), false, null));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.field()).isEqualTo("spec.target.name");
        assertThat(r.message()).contains("Target name cannot be equal to source name when both are VirtualMachines");
    }

    @Test
    void existingTargetMadeByAnotherCloneOrByHandIsRejected() {
        ObjectNode stranger = yaml("metadata: {name: fedora-copy, namespace: vms, labels: {vmclone.io/clone-uid: other-uid}}");
        ObjectNode byHand = yaml("metadata: {name: fedora-copy, namespace: vms}");
        for (ObjectNode existing : List.of(stranger, byHand)) {
            Rejection r = rejected(plan(Specs.CLONE, Specs.from("fedora").target("fedora-copy").build(), fedora.vm(), false, existing));
            assertThat(r.reason()).isEqualTo(Reasons.TARGET_EXISTS);
            assertThat(r.field()).isEqualTo("spec.target.name");
            assertThat(r.message()).isEqualTo("target VirtualMachine vms/fedora-copy already exists and was not created by this clone");
        }
    }

    @Test
    void existingTargetFromThisCloneIsAReplayAndPlansTheSameResult() {
        CloneSpec spec = Specs.from("fedora").target("fedora-copy").build();
        Plan fresh = planned(plan(Specs.CLONE, spec, fedora.vm(), false, null));
        ObjectNode ours = fresh.virtualMachine().deepCopy();
        ours.with("metadata").put("uid", "created-by-the-api-server");
        Plan replay = planned(plan(Specs.CLONE, spec, fedora.vm(), false, ours));
        assertThat(replay).isEqualTo(fresh);
        assertThat(ours.at("/metadata/labels").path(CloneLabels.CLONE_UID).asText()).isEqualTo(Specs.CLONE.uid());
    }

    @Test
    void cloneWithoutUidCannotClaimAnExistingTarget() {
        CloneRef noUid = new CloneRef("vms", "my-clone", null);
        ObjectNode unlabelled = yaml("metadata: {name: fedora-copy, namespace: vms}");
        Rejection r = rejected(plan(noUid, Specs.from("fedora").target("fedora-copy").build(), fedora.vm(), false, unlabelled));
        assertThat(r.reason()).isEqualTo(Reasons.TARGET_EXISTS);
    }

    @Test
    void invalidSpecIsRejectedBeforeLookingAtTheSource() {
        Rejection r = rejected(plan(Specs.CLONE, Specs.from("fedora").labelFilters("a*b").build(), null, true, null));
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.field()).isEqualTo("spec.labelFilters[0]");
        assertThat(r.message()).contains("cannot contain a wildcard character (*)");
    }
}
