package io.vmclone.bridge.sets;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.bridge.sets.CloneSetReconciler.Decision;
import io.vmclone.bridge.sets.CloneSetReconciler.OwnedClone;
import io.vmclone.bridge.sets.CloneSetReconciler.Replica;
import io.vmclone.bridge.sets.CloneSetReconciler.SetView;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus.Condition;
import io.vmclone.schemas.sets.CloneSetSpec;
import io.vmclone.schemas.sets.CloneSetStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloneSetReconcilerTest {
    private static final CloneSpec TEMPLATE = CloneSpec.of("golden", null);
    private static final String T0 = "2026-12-02T10:00:00Z";
    private static final String T1 = "2026-12-02T10:05:00Z";
    private final CloneSetReconciler reconciler = new CloneSetReconciler();

    @Test
    void aNewSetAsksForEveryReplicaWithItsPatternedTarget() {
        Decision d = reconciler.reconcile(set(3, "runner-{index:02}", null), List.of(), T0);
        assertThat(d.create()).extracting(Replica::cloneName).containsExactly("runners-0", "runners-1", "runners-2");
        assertThat(d.create()).extracting(r -> r.spec().target().name()).containsExactly("runner-00", "runner-01", "runner-02");
        assertThat(d.create()).allSatisfy(r -> assertThat(r.spec().source()).isEqualTo(TEMPLATE.source()));
        assertThat(d.status().clones()).isZero();
        assertThat(ready(d.status())).satisfies(c -> {
            assertThat(c.status()).isEqualTo("False");
            assertThat(c.reason()).isEqualTo(CloneSetStatus.CLONING);
            assertThat(c.message()).isEqualTo("0 of 3 clones succeeded");
        });
    }

    @Test
    void replicasThatExistAreNeverAskedForAgainWhateverTheirPhase() {
        var clones = List.of(clone("runners-0", ClonePhase.Succeeded), clone("runners-1", ClonePhase.Failed), clone("runners-3", null));
        Decision d = reconciler.reconcile(set(5, null, null), clones, T0);
        assertThat(d.create()).extracting(Replica::cloneName).containsExactly("runners-2", "runners-4");
        assertThat(d.create()).extracting(r -> r.spec().target().name()).containsExactly("runners-2", "runners-4");
    }

    @Test
    void theStatusCountsClonesPerPhaseAndListsFailuresWithTheirReasons() {
        var clones = List.of(clone("runners-0", ClonePhase.Succeeded), clone("runners-1", ClonePhase.CloningVolumes),
                new OwnedClone("runners-2", ClonePhase.Failed, "SourceNotFound", "VirtualMachine golden does not exist"),
                clone("runners-3", null));
        CloneSetStatus s = reconciler.reconcile(set(4, null, null), clones, T0).status();
        assertThat(s.phases()).isEqualTo(Map.of("Succeeded", 1, "CloningVolumes", 1, "Failed", 1, "Pending", 1));
        assertThat(s.succeeded()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.failures()).containsExactly(new CloneSetStatus.Failure("runners-2", "Failed", "SourceNotFound",
                "VirtualMachine golden does not exist"));
        assertThat(ready(s).reason()).isEqualTo(CloneSetStatus.CLONES_FAILED);
        assertThat(ready(s).message()).isEqualTo("1 of 4 clones did not succeed (see status.failures); 1 succeeded");
    }

    @Test
    void readyOnceEveryReplicaSucceeded() {
        var clones = List.of(clone("runners-0", ClonePhase.Succeeded), clone("runners-1", ClonePhase.Succeeded));
        CloneSetStatus s = reconciler.reconcile(set(2, null, null), clones, T0).status();
        assertThat(ready(s).status()).isEqualTo("True");
        assertThat(ready(s).reason()).isEqualTo(CloneSetStatus.ALL_SUCCEEDED);
        assertThat(s.observedGeneration()).isEqualTo(7L);
    }

    @Test
    void scalingUpAfterReadyAsksForTheNewReplicasAndIsNoLongerReady() {
        var clones = List.of(clone("runners-0", ClonePhase.Succeeded), clone("runners-1", ClonePhase.Succeeded));
        Decision d = reconciler.reconcile(set(4, null, null), clones, T0);
        assertThat(d.create()).extracting(Replica::cloneName).containsExactly("runners-2", "runners-3");
        assertThat(ready(d.status()).status()).isEqualTo("False");
    }

    @Test
    void loweringReplicasDeletesNothingAndTheStatusCountsWhatExists() {
        var clones = List.of(clone("runners-0", ClonePhase.Succeeded), clone("runners-1", ClonePhase.Succeeded),
                clone("runners-2", ClonePhase.Succeeded));
        Decision d = reconciler.reconcile(set(1, null, null), clones, T0);
        assertThat(d.create()).isEmpty();
        assertThat(d.status().clones()).isEqualTo(3);
        assertThat(ready(d.status()).status()).isEqualTo("True");
    }

    @Test
    void anInvalidSetMakesNoCloneAndSaysWhyOnce() {
        Decision d = reconciler.reconcile(set(200, "runner", null), List.of(), T0);
        assertThat(d.create()).isEmpty();
        assertThat(ready(d.status()).reason()).isEqualTo(CloneSetStatus.INVALID_SPEC);
        assertThat(ready(d.status()).message()).startsWith("no clone is made: spec.targetNamePattern: must contain {index}");

        SetView again = set(200, "runner", d.status());
        assertThat(reconciler.reconcile(again, List.of(), T1).status()).as("nothing new to write").isNull();
    }

    @Test
    void anUnchangedStatusIsNotWrittenAgainAndAConditionKeepsItsTransitionTime() {
        var clones = List.of(clone("runners-0", ClonePhase.CloningVolumes), clone("runners-1", ClonePhase.Pending));
        CloneSetStatus first = reconciler.reconcile(set(2, null, null), clones, T0).status();
        assertThat(reconciler.reconcile(set(2, null, first), clones, T1).status()).isNull();

        var progressed = List.of(clone("runners-0", ClonePhase.Succeeded), clone("runners-1", ClonePhase.CloningVolumes));
        CloneSetStatus second = reconciler.reconcile(set(2, null, first), progressed, T1).status();
        assertThat(ready(second).message()).isEqualTo("1 of 2 clones succeeded");
        assertThat(ready(second).lastTransitionTime()).as("still Cloning").isEqualTo(T0);

        var done = List.of(clone("runners-0", ClonePhase.Succeeded), clone("runners-1", ClonePhase.Succeeded));
        assertThat(ready(reconciler.reconcile(set(2, null, second), done, T1).status()).lastTransitionTime()).isEqualTo(T1);
    }

    private static SetView set(int replicas, String pattern, CloneSetStatus status) {
        return new SetView("runners", 7, new CloneSetSpec(replicas, pattern, TEMPLATE), status);
    }

    private static OwnedClone clone(String name, ClonePhase phase) {
        return new OwnedClone(name, phase, null, null);
    }

    private static Condition ready(CloneSetStatus s) {
        return s.condition(CloneSetStatus.READY);
    }
}
