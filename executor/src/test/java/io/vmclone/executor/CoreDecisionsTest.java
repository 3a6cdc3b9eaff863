package io.vmclone.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.VolumeProgress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The executor's pure decisions: CDI phases and progress, the clone verdict, progress coalescing. */
class CoreDecisionsTest {
    private static final Duration STALL = Duration.ofMinutes(10);

    @Nested
    class Phases {
        @Test
        void onlySucceededIsDoneNotTheWaitForFirstConsumerPhasesWhereNothingWasCopied() {
            assertThat(CdiPhases.done("Succeeded")).isTrue();
            for (String phase : List.of("WaitForFirstConsumer", "PendingPopulation", "Pending", "CloneScheduled", "CSICloneInProgress",
                    "CloneInProgress", "Failed", "Paused", "Unknown")) {
                assertThat(CdiPhases.done(phase)).as(phase).isFalse();
            }
            assertThat(CdiPhases.done(null)).isFalse();
        }

        @Test
        void progressStringsParseLikeCdiWritesThem() {
            assertThat(CdiPhases.percent("CloneInProgress", "45.20%")).isEqualTo(45.2);
            assertThat(CdiPhases.percent("CloneInProgress", "N/A")).isZero();
            assertThat(CdiPhases.percent("CloneInProgress", null)).isZero();
            assertThat(CdiPhases.percent("CloneInProgress", "abc%")).isZero();
            assertThat(CdiPhases.percent("CloneInProgress", "250%")).isEqualTo(100.0);
            assertThat(CdiPhases.percent("Succeeded", "N/A")).as("done counts as 100").isEqualTo(100.0);
            assertThat(CdiPhases.percent("PendingPopulation", "N/A")).as("waiting for a consumer: nothing copied").isZero();
        }

        @Test
        void overallIsTheMeanOnlyWhenEveryVolumeStillCopyingHasAPercentage() {
            VolumeProgress done = new VolumeProgress("root", "a", "Succeeded", "100.0%");
            VolumeProgress hostAssisted = new VolumeProgress("data", "b", "CloneInProgress", "50.00%");
            VolumeProgress csi = new VolumeProgress("logs", "c", "CSICloneInProgress", "N/A");
            VolumeProgress scheduled = new VolumeProgress("tmp", "d", "CloneScheduled", "N/A");
            // table: volumes -> overall; CDI gives CSI and snapshot clones no percentage, so neither do we
            Object[][] table = {
                    {List.of(done, hostAssisted), "75.00%"},
                    {List.of(done, hostAssisted, csi), "N/A"},
                    {List.of(csi), "N/A"},
                    {List.of(done, scheduled), "N/A"},
                    {List.of(done, new VolumeProgress("x", "e", "Succeeded", "N/A")), "100.00%"},
                    {List.of(), "N/A"}, // nothing to copy: not 100 %
            };
            for (Object[] row : table) {
                @SuppressWarnings("unchecked")
                List<VolumeProgress> volumes = (List<VolumeProgress>) row[0];
                assertThat(CdiPhases.overall(volumes)).as(volumes.toString()).isEqualTo(row[1]);
            }
            assertThat(CdiPhases.movement(List.of(done, hostAssisted, csi))).as("for coalescing only: N/A as 0").isEqualTo(50.0);
        }

        @Test
        void onlyThePhasesBeforeTheCopyCanWaitForTheSource() {
            assertThat(CdiPhases.notStarted("CloneScheduled")).isTrue();
            assertThat(CdiPhases.notStarted(VolumeObservation.NOT_SEEN)).isTrue();
            for (String phase : List.of("CSICloneInProgress", "CloneInProgress", "SnapshotForSmartCloneInProgress", "Succeeded", "Failed")) {
                assertThat(CdiPhases.notStarted(phase)).as(phase).isFalse();
            }
        }

        @Test
        void onlyCdisProgressFormatIsValid() {
            assertThat(CdiPhases.validProgress("45.20%")).isTrue();
            assertThat(CdiPhases.validProgress("N/A")).isTrue();
            assertThat(CdiPhases.validProgress("100.0%")).isTrue();
            assertThat(CdiPhases.validProgress("45 %")).isFalse();
            assertThat(CdiPhases.validProgress("")).isFalse();
            assertThat(new VolumeObservation("v", "dv", "CloneInProgress", "about half", null).toProgress().progress()).isEqualTo("N/A");
        }
    }

    @Nested
    class Verdict {
        private VolumeObservation v(String dv, String phase, String progress, String message) {
            return new VolumeObservation(dv.replace("t-", ""), dv, phase, progress, message);
        }

        @Test
        void succeedsWhenTheVmExistsAndEveryVolumeIsDone() {
            List<VolumeObservation> volumes = List.of(v("t-root", "Succeeded", "100.0%", null), v("t-data", "Succeeded", "N/A", null));
            assertThat(CloneVerdict.decide("t", volumes, true, Duration.ZERO, STALL)).isInstanceOf(CloneVerdict.Succeeded.class);
            List<VolumeObservation> waiting = List.of(v("t-root", "Succeeded", "100.0%", null), v("t-data", "PendingPopulation", "N/A", null));
            assertThat(CloneVerdict.decide("t", waiting, true, Duration.ZERO, STALL)).as("a volume CDI has not copied")
                    .isInstanceOf(CloneVerdict.Running.class);
            assertThat(CloneVerdict.decide("t", volumes, false, Duration.ZERO, STALL)).as("no VM, no success")
                    .isInstanceOf(CloneVerdict.Running.class);
            assertThat(CloneVerdict.decide("t", List.of(), true, Duration.ZERO, STALL)).as("a VM without disks")
                    .isInstanceOf(CloneVerdict.Succeeded.class);
        }

        @Test
        void aFailedVolumeFailsTheCloneWithItsConditionMessage() {
            List<VolumeObservation> volumes = List.of(v("t-root", "Succeeded", "100.0%", null),
                    v("t-data", "Failed", "N/A", "The source pvc data doesn't exist"));
            CloneVerdict verdict = CloneVerdict.decide("t", volumes, true, Duration.ZERO, STALL);
            assertThat(verdict).isEqualTo(new CloneVerdict.Failed(Reasons.VOLUME_CLONE_FAILED,
                    "DataVolume t-data (volume data) failed: The source pvc data doesn't exist"));
        }

        @Test
        void nothingChangingForTheStallTimeoutFailsNamingTheWaitingVolume() {
            List<VolumeObservation> volumes = List.of(v("t-root", "Succeeded", "100.0%", null),
                    v("t-data", "CloneScheduled", "N/A", "Clone Pending"));
            assertThat(CloneVerdict.decide("t", volumes, true, STALL.minusSeconds(1), STALL)).isInstanceOf(CloneVerdict.Running.class);
            CloneVerdict verdict = CloneVerdict.decide("t", volumes, true, STALL, STALL);
            assertThat(verdict).isInstanceOfSatisfying(CloneVerdict.Failed.class, f -> {
                assertThat(f.reason()).isEqualTo(Reasons.STALLED);
                assertThat(f.message()).contains("600 s").contains("DataVolume t-data (volume data) is CloneScheduled at N/A: Clone Pending");
            });
            CloneVerdict noVm = CloneVerdict.decide("t", List.of(v("t-root", "Succeeded", "100.0%", null)), false, STALL, STALL);
            assertThat(noVm).isInstanceOfSatisfying(CloneVerdict.Failed.class,
                    f -> assertThat(f.message()).contains("target VirtualMachine t does not exist"));
        }
    }

    @Test
    void aStallSaysInCdisWordsWhatHeldTheVolume() {
        String refusal = "target PVC t-data Pending and [tmp-pvc-1] : failed to provision volume with StorageClass \"px\": "
                + "rpc error: code = Internal desc = replication factor mismatch";
        // table: the stuck volume -> what the failure must say
        Object[][] table = {
                {new VolumeObservation("data", "t-data", "CloneScheduled", "N/A", "Clone Pending", "csi-clone", null, "PVC t-data Pending",
                        "pod apps/backup using PersistentVolumeClaim data"),
                        "DataVolume t-data (volume data, csi-clone) waits for its source: pod apps/backup using PersistentVolumeClaim data (CloneSourceInUse)"},
                {new VolumeObservation("data", "t-data", "CSICloneInProgress", "N/A", refusal, "csi-clone", null, refusal, null),
                        "DataVolume t-data (volume data, csi-clone) is CSICloneInProgress at N/A; CDI never bound its claim: " + refusal},
                {new VolumeObservation("data", "t-data", "CloneInProgress", "40.00%", null, "copy", "No compatible volumesnapshotclass found", null, null),
                        "DataVolume t-data (volume data, copy) is CloneInProgress at 40.00%"},
        };
        for (Object[] row : table) {
            CloneVerdict verdict = CloneVerdict.decide("t", List.of((VolumeObservation) row[0]), true, STALL, STALL);
            assertThat(verdict).isInstanceOfSatisfying(CloneVerdict.Failed.class, f -> {
                assertThat(f.reason()).isEqualTo(Reasons.STALLED);
                assertThat(f.message()).endsWith((String) row[1]);
            });
        }
    }

    @Nested
    class Coalescing {
        private final ProgressCoalescer coalescer = new ProgressCoalescer(5.0, 1000);

        @Test
        void emitsTheFirstReportPhaseChangesAndFivePointMovesImmediately() {
            assertThat(coalescer.shouldEmit("c", List.of("CloneScheduled"), 0.0, 0)).isTrue();
            assertThat(coalescer.shouldEmit("c", List.of("CSICloneInProgress"), 0.5, 10)).as("phase change").isTrue();
            assertThat(coalescer.shouldEmit("c", List.of("CSICloneInProgress"), 5.5, 20)).as("5 points").isTrue();
            assertThat(coalescer.shouldEmit("c", List.of("CSICloneInProgress"), 7.0, 30)).as("small move, too soon").isFalse();
            assertThat(coalescer.shouldEmit("c", List.of("CSICloneInProgress"), 7.0, 1020)).as("small move, a second later").isTrue();
            assertThat(coalescer.shouldEmit("c", List.of("CSICloneInProgress"), 7.0, 5000)).as("nothing changed").isFalse();
        }

        @Test
        void clonesAreCoalescedIndependentlyAndAForgottenCloneStartsAfresh() {
            assertThat(coalescer.shouldEmit("a", List.of("CSICloneInProgress"), 10.0, 0)).isTrue();
            assertThat(coalescer.shouldEmit("b", List.of("CSICloneInProgress"), 10.5, 1)).isTrue();
            assertThat(coalescer.shouldEmit("a", List.of("CSICloneInProgress"), 11.0, 2)).isFalse();
            coalescer.forget("a");
            assertThat(coalescer.shouldEmit("a", List.of("CSICloneInProgress"), 11.0, 3)).isTrue();
        }

        @Test
        void aThousandSmallUpdatesBecomeAFewEvents() {
            int events = 0;
            for (int i = 1; i <= 1000; i++) { // 0.1 point every 10 ms: 10 s of copying
                if (coalescer.shouldEmit("c", List.of("CSICloneInProgress"), i / 10.0, i * 10L)) {
                    events++;
                }
            }
            assertThat(events).isBetween(10, 25);
        }
    }
}
