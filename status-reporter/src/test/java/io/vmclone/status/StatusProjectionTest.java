package io.vmclone.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.runtime.RecordPosition;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.CloneStatus.Condition;
import io.vmclone.schemas.kube.CloneStatus.VolumeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusProjectionTest {
    private static final CloneRef CLONE = new CloneRef("ns", "c1", "11111111-2222-3333-4444-555555555555");
    private static final CloneEvents E = new CloneEvents(CLONE, "fedora", "fedora-copy");
    private final StatusProjection projection = new StatusProjection();

    /** What a user reads off the status after the events, in log order. */
    record Expect(ClonePhase phase, String ready, String readyReason, String progressing, String progress, String targetName,
                  String completionTime) {}

    static Stream<Arguments> histories() {
        String done = CloneEvents.at(9).toInstant().toString();
        return Stream.of(
                Arguments.of("requested", List.of(E.requested(0)),
                        new Expect(ClonePhase.Pending, "False", "Still processing", "True", null, "fedora-copy", null)),
                Arguments.of("planned", List.of(E.requested(0), E.planned(1, "root", "data")),
                        new Expect(ClonePhase.Planned, "False", "Still processing", "True", "N/A", "fedora-copy", null)),
                Arguments.of("creating the target VM", List.of(E.requested(0), E.planned(1, "root"), E.creatingTarget(2)),
                        new Expect(ClonePhase.CreatingTargetVM, "False", "Still processing", "True", "N/A", "fedora-copy", null)),
                Arguments.of("cloning volumes", List.of(E.requested(0), E.planned(1, "root"), E.creatingTarget(2),
                                E.progressed(3, 37.5, "root")),
                        new Expect(ClonePhase.CloningVolumes, "False", "Still processing", "True", "37.50%", "fedora-copy", null)),
                Arguments.of("succeeded", List.of(E.requested(0), E.planned(1, "root"), E.progressed(3, 50, "root"),
                                E.succeeded(9, "root")),
                        new Expect(ClonePhase.Succeeded, "True", "Ready", "False", "100.0%", "fedora-copy", done)),
                Arguments.of("rejected by the bridge", List.of(E.rejectedByBridge(9, "spec.source.name", "must not be empty")),
                        new Expect(ClonePhase.Failed, "False", Reasons.INVALID_SPEC, "False", null, null, done)),
                Arguments.of("rejected by the planner", List.of(E.requested(0),
                                E.rejectedByPlanner(9, Reasons.SOURCE_NOT_FOUND, "spec.source.name", "VirtualMachine ns/fedora not found")),
                        new Expect(ClonePhase.Failed, "False", Reasons.SOURCE_NOT_FOUND, "False", null, "fedora-copy", done)),
                Arguments.of("source running", List.of(E.requested(0),
                                E.rejectedByPlanner(9, Reasons.SOURCE_RUNNING, null, "VirtualMachine fedora is running")),
                        new Expect(ClonePhase.Failed, "False", Reasons.SOURCE_RUNNING, "False", null, "fedora-copy", done)),
                Arguments.of("a volume failed", List.of(E.requested(0), E.planned(1, "root"), E.progressed(3, 10, "root"),
                                E.failed(9, Reasons.VOLUME_CLONE_FAILED, "DataVolume fedora-copy-root failed")),
                        new Expect(ClonePhase.Failed, "False", Reasons.VOLUME_CLONE_FAILED, "False", "10.00%", "fedora-copy", done)),
                Arguments.of("stalled", List.of(E.requested(0), E.planned(1, "root"), E.progressed(3, 10, "root"),
                                E.failed(9, Reasons.STALLED, "no progress for 600 s")),
                        new Expect(ClonePhase.Failed, "False", Reasons.STALLED, "False", "10.00%", "fedora-copy", done)),
                Arguments.of("cancelled", List.of(E.requested(0), E.planned(1, "root"), E.cancelled(9)),
                        new Expect(ClonePhase.Cancelled, "False", "Cancelled", "False", "N/A", "fedora-copy", done)),
                Arguments.of("progress after success is late", List.of(E.requested(0), E.planned(1, "root"), E.succeeded(9, "root"),
                                E.progressed(10, 40, "root")),
                        new Expect(ClonePhase.Succeeded, "True", "Ready", "False", "100.0%", "fedora-copy", done)),
                Arguments.of("failure after success is late", List.of(E.requested(0), E.planned(1, "root"), E.succeeded(9, "root"),
                                E.failed(10, Reasons.STALLED, "late")),
                        new Expect(ClonePhase.Succeeded, "True", "Ready", "False", "100.0%", "fedora-copy", done)),
                Arguments.of("nothing to copy", List.of(E.requested(0), E.planned(1), E.progressedVolumes(3, "N/A"), E.succeeded(9)),
                        new Expect(ClonePhase.Succeeded, "True", "Ready", "False", "N/A", "fedora-copy", done)),
                Arguments.of("smart clones in flight", List.of(E.requested(0), E.planned(1, "root", "data"), E.progressedVolumes(3, "N/A",
                                new VolumeProgress("root", "fedora-copy-root", "Succeeded", "100.0%"),
                                new VolumeProgress("data", "fedora-copy-data", "CSICloneInProgress", "N/A"))),
                        new Expect(ClonePhase.CloningVolumes, "False", "Still processing", "True", "N/A", "fedora-copy", null)),
                Arguments.of("planned after cloning is late", List.of(E.requested(0), E.progressed(3, 60, "root"),
                                E.planned(4, "root")),
                        new Expect(ClonePhase.CloningVolumes, "False", "Still processing", "True", "60.00%", "fedora-copy", null)),
                Arguments.of("requested again is late", List.of(E.requested(0), E.planned(1, "root"), E.requested(2)),
                        new Expect(ClonePhase.Planned, "False", "Still processing", "True", "N/A", "fedora-copy", null)),
                Arguments.of("creating after cloning is late", List.of(E.requested(0), E.progressed(3, 20, "root"),
                                E.creatingTarget(4)),
                        new Expect(ClonePhase.CloningVolumes, "False", "Still processing", "True", "20.00%", "fedora-copy", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void foldsHistoryIntoStatus(String name, List<CloneEvent> events, Expect expect) {
        CloneStatus s = foldOneByOne(events);

        assertThat(s.phaseOrNull()).isEqualTo(expect.phase());
        assertThat(s.condition(CloneStatus.READY)).extracting(Condition::status, Condition::reason)
                .containsExactly(expect.ready(), expect.readyReason());
        assertThat(s.condition(CloneStatus.PROGRESSING).status()).isEqualTo(expect.progressing());
        assertThat(s.progress()).isEqualTo(expect.progress());
        assertThat(s.targetName()).isEqualTo(expect.targetName());
        assertThat(s.completionTime()).isEqualTo(expect.completionTime());
        assertThat(s.startTime()).isEqualTo(events.get(0).time().toInstant().toString());
        assertThat(s.observedGeneration()).isEqualTo(3L);
        // Folding the whole history at once gives the same status as event by event.
        assertThat(projection.fold(null, logged(events), 3L)).get().extracting(StatusProjection.Outcome::status).isEqualTo(s);
    }

    @Test
    void everyFieldIsSetOnSuccess() {
        CloneStatus s = foldOneByOne(List.of(E.requested(0), E.planned(1, "root", "data"), E.creatingTarget(2),
                E.progressed(3, 50, "root", "data"), E.succeeded(9, "root", "data")));

        assertThat(s.volumes()).containsExactly(
                new VolumeStatus("root", "fedora-copy-root", "Succeeded", "100.0%"),
                new VolumeStatus("data", "fedora-copy-data", "Succeeded", "100.0%"));
        assertThat(s.startTime()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(s.completionTime()).isEqualTo("2026-11-25T10:09:00Z");
        assertThat(s.lastEventOffset()).isEqualTo(4L);
        assertThat(s.lastEventId()).isEqualTo(CLONE.uid() + "/succeeded");
        assertThat(s.conditions()).extracting(Condition::type).containsExactly("Progressing", "Ready");
        assertThat(s.conditions()).allSatisfy(c -> {
            assertThat(c.observedGeneration()).isEqualTo(3L);
            assertThat(c.message()).isEqualTo("target VM fedora-copy is ready");
        });
        // Ready flipped to True at the end; Progressing flipped to False at the end (it was True since the start).
        assertThat(s.condition(CloneStatus.READY).lastTransitionTime()).isEqualTo("2026-11-25T10:09:00Z");
        assertThat(s.condition(CloneStatus.PROGRESSING).lastTransitionTime()).isEqualTo("2026-11-25T10:09:00Z");
    }

    @Test
    void plannedListsEveryVolumePendingAndAVolumeFollowsCdi() {
        CloneStatus planned = foldOneByOne(List.of(E.requested(0), E.planned(1, "root", "data")));
        assertThat(planned.volumes()).containsExactly(
                new VolumeStatus("root", "fedora-copy-root", "Pending", "N/A"),
                new VolumeStatus("data", "fedora-copy-data", "Pending", "N/A"));
        CloneStatus cloning = foldOneByOne(List.of(E.requested(0), E.planned(1, "root"), E.progressed(3, 12.5, "root")));
        assertThat(cloning.volumes()).containsExactly(new VolumeStatus("root", "fedora-copy-root", "CloneInProgress", "12.50%"));
    }

    @Test
    void conditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        CloneStatus s = foldOneByOne(List.of(E.requested(0), E.planned(1, "root"), E.progressed(5, 40, "root")));
        assertThat(s.condition(CloneStatus.READY).lastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(s.condition(CloneStatus.READY).message()).contains("40.00%");
    }

    @Test
    void rejectionMessageNamesTheFieldOnce() {
        CloneStatus bare = foldOneByOne(List.of(E.rejectedByBridge(0, "spec.target.name", "must be a DNS label")));
        assertThat(bare.condition(CloneStatus.READY).message()).isEqualTo("spec.target.name: must be a DNS label");
        CloneStatus listed = foldOneByOne(List.of(E.rejectedByBridge(0, "spec.target.name",
                "spec.target.name: must be a DNS label; spec.patches[0]: not JSON")));
        assertThat(listed.condition(CloneStatus.READY).message()).isEqualTo("spec.target.name: must be a DNS label; spec.patches[0]: not JSON");
    }

    @Test
    void replayingTheLogChangesNothing() {
        List<CloneEvent> history = List.of(E.requested(0), E.planned(1, "root"), E.progressed(3, 50, "root"));
        CloneStatus s = foldOneByOne(history);
        assertThat(projection.fold(s, logged(history), 3L)).isEmpty();
        assertThat(projection.fold(s, List.of(new LoggedEvent(history.get(2), position(2))), 3L)).isEmpty();
    }

    @Test
    void anOlderEventReadAgainAtItsOwnOffsetDoesNotRewindProgress() {
        List<CloneEvent> history = List.of(E.requested(0), E.planned(1, "root"), E.progressed(3, 10, "root"),
                E.progressed(4, 50, "root"));
        CloneStatus s = foldOneByOne(history);
        // A consumer rewound to offset 2 (a rolled-back batch, a rebalance) sees the 10% again.
        assertThat(projection.fold(s, List.of(new LoggedEvent(history.get(2), position(2))), 3L)).isEmpty();
        assertThat(s.progress()).isEqualTo("50.00%");
    }

    @Test
    void theSameEventAgainLaterInTheLogChangesNothing() {
        CloneEvent planned = E.planned(1, "root");
        CloneStatus s = foldOneByOne(List.of(E.requested(0), planned));
        assertThat(projection.fold(s, List.of(new LoggedEvent(planned, position(7))), 3L)).isEmpty();
    }

    @Test
    void reportsEachPhaseChangeWithItsReason() {
        var outcome = projection.fold(null, logged(List.of(E.requested(0), E.planned(1, "root"), E.progressed(3, 10, "root"),
                E.progressed(4, 20, "root"), E.rejectedByPlanner(5, Reasons.TARGET_EXISTS, "spec.target.name", "exists"))), 1L).orElseThrow();

        assertThat(outcome.transitions()).extracting(StatusProjection.Transition::to, StatusProjection.Transition::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ClonePhase.Pending, StatusProjection.EVENT_REQUESTED),
                        org.assertj.core.groups.Tuple.tuple(ClonePhase.Planned, StatusProjection.EVENT_PLANNED),
                        org.assertj.core.groups.Tuple.tuple(ClonePhase.CloningVolumes, StatusProjection.EVENT_CLONING_VOLUMES),
                        org.assertj.core.groups.Tuple.tuple(ClonePhase.Failed, Reasons.TARGET_EXISTS));
        assertThat(outcome.transitions().get(3).warning()).isTrue();
        assertThat(outcome.transitions().get(0).from()).isNull();
    }

    @Test
    void progressWithinAPhaseIsNoTransition() {
        CloneStatus s = foldOneByOne(List.of(E.requested(0), E.planned(1, "root"), E.progressed(3, 10, "root")));
        var outcome = projection.fold(s, List.of(new LoggedEvent(E.progressed(4, 20, "root"), position(3))), 1L).orElseThrow();
        assertThat(outcome.phaseChanged()).isFalse();
        assertThat(outcome.status().progress()).isEqualTo("20.00%");
    }

    @Test
    void aVolumeCdiHoldsBackMakesProgressingSayWhyAndNameThePodWithOneWarning() {
        String inUse = "pod ns/backup using PersistentVolumeClaim fedora-root";
        VolumeProgress waiting = new VolumeProgress("root", "fedora-copy-root", "CloneScheduled", "N/A", "snapshot", null,
                "CloneSourceInUse", inUse);
        VolumeProgress copying = new VolumeProgress("root", "fedora-copy-root", "SnapshotForSmartCloneInProgress", "N/A", "snapshot", null,
                null, null);
        var outcome = projection.fold(null, logged(List.of(E.requested(0), E.planned(1, "root"), E.progressedVolumes(3, "N/A", waiting),
                E.progressedVolumes(4, "N/A", waiting))), 1L).orElseThrow();

        CloneStatus s = outcome.status();
        String expected = "CDI waits to clone volume root (DataVolume fedora-copy-root): " + inUse;
        assertThat(s.condition(CloneStatus.PROGRESSING)).extracting(Condition::status, Condition::reason, Condition::message)
                .containsExactly("True", "CloneSourceInUse", expected);
        assertThat(s.condition(CloneStatus.READY)).extracting(Condition::status, Condition::reason).containsExactly("False", "CloneSourceInUse");
        assertThat(s.volumes()).containsExactly(new VolumeStatus("root", "fedora-copy-root", "CloneScheduled", "N/A", "snapshot", null,
                "CloneSourceInUse", inUse));
        assertThat(outcome.transitions()).filteredOn(StatusProjection.Transition::notice).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo("CloneSourceInUse");
            assertThat(t.message()).isEqualTo(expected);
            assertThat(t.warning()).isTrue();
            assertThat(t.to()).isEqualTo(ClonePhase.CloningVolumes);
        });
        assertThat(outcome.phaseChanged()).isTrue();

        var released = projection.fold(s, List.of(new LoggedEvent(E.progressedVolumes(5, "N/A", copying), position(4))), 1L).orElseThrow();
        assertThat(released.status().condition(CloneStatus.PROGRESSING).reason()).isEqualTo(StatusProjection.STILL_PROCESSING);
        assertThat(released.status().volumes().get(0).reason()).isNull();
        assertThat(released.transitions()).isEmpty();
        assertThat(released.phaseChanged()).as("a wait ending is progress, not a phase change").isFalse();
    }

    @Test
    void theStrategyAndFallbackOfEachVolumeAreInTheStatusAndTheMessage() {
        String reason = "No compatible volumesnapshotclass found";
        CloneStatus s = foldOneByOne(List.of(E.requested(0), E.planned(1, "root", "data"), E.progressedVolumes(3, "N/A",
                new VolumeProgress("root", "fedora-copy-root", "CSICloneInProgress", "N/A", "csi-clone", null, null, null),
                new VolumeProgress("data", "fedora-copy-data", "CloneInProgress", "40.00%", "copy", reason, null, null))));

        assertThat(s.volumes()).extracting(VolumeStatus::strategy).containsExactly("csi-clone", "copy");
        assertThat(s.volumes()).extracting(VolumeStatus::fallbackReason).containsExactly(null, reason);
        assertThat(s.progress()).isEqualTo("N/A");
        assertThat(s.condition(CloneStatus.PROGRESSING).message())
                .endsWith("cloning 2 volume(s): N/A (root: csi-clone; data: copy, fallback: " + reason + ")");
    }

    @Test
    void generationFallsBackToTheRequestsWhenTheResourceHasNone() {
        CloneStatus s = projection.fold(null, logged(List.of(E.requested(0))), null).orElseThrow().status();
        assertThat(s.observedGeneration()).isEqualTo(1L);
    }

    /** Applies events one write at a time, offsets 0, 1, 2, …, as the reporter would across batches. */
    private CloneStatus foldOneByOne(List<CloneEvent> events) {
        CloneStatus s = null;
        List<LoggedEvent> logged = logged(events);
        for (LoggedEvent e : logged) {
            var out = projection.fold(s, List.of(e), 3L);
            if (out.isPresent()) {
                s = out.get().status();
            }
        }
        return s;
    }

    private static List<LoggedEvent> logged(List<CloneEvent> events) {
        List<LoggedEvent> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(new LoggedEvent(events.get(i), position(i)));
        }
        return out;
    }

    private static RecordPosition position(long offset) {
        return new RecordPosition("events", 0, offset);
    }
}
