package io.vmclone.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.CdiEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the executor reads from what CDI writes: DataVolume, target claim, CloneSourceInUse Events (pure). */
class CdiObservationTest {
    private static final FollowedClone.Volume DATA = new FollowedClone.Volume("data", "web-copy-data");
    private static final String IN_USE = "pod apps/backup using PersistentVolumeClaim data";

    private static GenericKubernetesResource dv(String phase, String progress, Map<String, String> annotations, List<Map<String, String>> conditions) {
        GenericKubernetesResource dv = new GenericKubernetesResource();
        dv.setMetadata(new ObjectMetaBuilder().withName("web-copy-data").withNamespace("apps").withUid("dv-uid")
                .withAnnotations(annotations).build());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        status.put("progress", progress);
        status.put("conditions", conditions);
        dv.setAdditionalProperty("status", status);
        return dv;
    }

    private static PersistentVolumeClaim claim(String uid, Map<String, String> annotations) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName("web-copy-data").withNamespace("apps").withUid(uid)
                .withAnnotations(annotations).endMetadata().build();
    }

    /** CDI's conditions, in CDI's order: Bound, Ready, Running. */
    private static List<Map<String, String>> conditions(String boundStatus, String boundMessage, String runningMessage) {
        return List.of(Map.of("type", "Bound", "status", boundStatus, "reason", "Pending", "message", boundMessage),
                Map.of("type", "Ready", "status", "False", "reason", "", "message", ""),
                Map.of("type", "Running", "status", "False", "reason", "Pending", "message", runningMessage));
    }

    private static VolumeObservation.InUseEvent event(String kind, String uid, String message, int second) {
        return new VolumeObservation.InUseEvent(kind, uid, message, Instant.ofEpochSecond(second));
    }

    @Test
    void theStrategyComesFromTheDataVolumeOrItsClaimAndTheFallbackReasonFromTheClaim() {
        String reason = "No compatible volumesnapshotclass found";
        // table: DataVolume annotations, claim annotations -> strategy, fallback reason
        Object[][] table = {
                {Map.of(CdiAnnotations.CLONE_TYPE, "snapshot"), null, "snapshot", null},
                {Map.of(), Map.of(CdiAnnotations.CLONE_TYPE, "csi-clone"), "csi-clone", null},
                {Map.of(CdiAnnotations.CLONE_TYPE, "copy"), Map.of(CdiAnnotations.CLONE_TYPE, "copy", CdiAnnotations.CLONE_FALLBACK_REASON, reason),
                        "copy", reason},
                {Map.of(), null, null, null}, // CDI has not chosen yet
        };
        for (Object[] row : table) {
            @SuppressWarnings("unchecked")
            PersistentVolumeClaim pvc = row[1] == null ? null : claim("pvc-uid", (Map<String, String>) row[1]);
            @SuppressWarnings("unchecked")
            VolumeObservation o = VolumeObservation.of(DATA, dv("CloneInProgress", "10.00%", (Map<String, String>) row[0], List.of()), pvc, List.of());
            assertThat(o.strategy()).as(String.valueOf(row[0])).isEqualTo(row[2]);
            assertThat(o.fallbackReason()).isEqualTo(row[3]);
            VolumeProgress reported = o.toProgress();
            assertThat(reported.strategy()).isEqualTo(row[2]);
            assertThat(reported.fallbackReason()).isEqualTo(row[3]);
        }
    }

    @Test
    void aSourceInUseIsKnownFromCdisEventWhileTheCloneHasNotStarted() {
        PersistentVolumeClaim pvc = claim("pvc-uid", Map.of());
        var pending = dv("CloneScheduled", "N/A", Map.of(), conditions("False", "PVC web-copy-data Pending", "Clone Pending"));
        // table: events, DataVolume -> the pod CDI waits for (null: none)
        Object[][] table = {
                {List.of(event("PersistentVolumeClaim", "pvc-uid", IN_USE, 1)), pending, IN_USE},
                {List.of(event("DataVolume", "dv-uid", IN_USE, 1)), pending, IN_USE}, // CDI's legacy flow
                {List.of(event("PersistentVolumeClaim", "old-claim", IN_USE, 1)), pending, null}, // an earlier claim of that name
                {List.of(event("PersistentVolumeClaim", "pvc-uid", IN_USE, 1),
                        event("PersistentVolumeClaim", "pvc-uid", "pod apps/other using PersistentVolumeClaim data", 5)), pending,
                        "pod apps/other using PersistentVolumeClaim data"}, // the newest
                {List.of(event("PersistentVolumeClaim", "pvc-uid", IN_USE, 1)),
                        dv("CSICloneInProgress", "N/A", Map.of(), List.of()), null}, // started: the Event is history
                {List.of(), pending, null},
        };
        for (Object[] row : table) {
            @SuppressWarnings("unchecked")
            List<VolumeObservation.InUseEvent> events = (List<VolumeObservation.InUseEvent>) row[0];
            VolumeObservation o = VolumeObservation.of(DATA, (GenericKubernetesResource) row[1], pvc, events);
            assertThat(o.sourceInUse()).as(events.toString()).isEqualTo(row[2]);
            VolumeProgress reported = o.toProgress();
            assertThat(reported.reason()).isEqualTo(row[2] == null ? null : CdiEvents.CLONE_SOURCE_IN_USE);
            assertThat(reported.message()).isEqualTo(row[2]);
        }
    }

    @Test
    void withoutTheEventTheBoundConditionOfNewerCdiSaysItToo() {
        // CDI 1.66+ copies the claim's latest event into the Bound condition; Running's "Clone Pending" comes last.
        var pending = dv("CloneScheduled", "N/A", Map.of(), conditions("False", "target PVC web-copy-data Pending and " + IN_USE, "Clone Pending"));
        VolumeObservation o = VolumeObservation.of(DATA, pending, null, List.of());
        assertThat(o.sourceInUse()).isEqualTo(IN_USE);
        assertThat(o.message()).as("the last condition message hides the pod").isEqualTo("Clone Pending");
    }

    @Test
    void theBoundConditionSaysWhyAClaimIsNotBound() {
        String refusal = "target PVC web-copy-data Pending and [tmp-pvc-1] : failed to provision volume with StorageClass \"px\": rpc error";
        assertThat(VolumeObservation.of(DATA, dv("CSICloneInProgress", "N/A", Map.of(), conditions("False", refusal, "")), null, List.of())
                .unbound()).isEqualTo(refusal);
        assertThat(VolumeObservation.of(DATA, dv("Succeeded", "100.0%", Map.of(), conditions("True", "PVC web-copy-data Bound", "Clone Complete")),
                null, List.of()).unbound()).isNull();
    }

    @Test
    void onlyAPhaseOrProgressChangeIsMovementNotAMessageCdiRewrites() {
        VolumeObservation a = new VolumeObservation("data", "dv", "CSICloneInProgress", "N/A", "[tmp] : provisioning", "csi-clone", null,
                "[tmp] : provisioning", null);
        VolumeObservation flipped = new VolumeObservation("data", "dv", "CSICloneInProgress", "N/A", "[tmp] : failed to provision",
                "csi-clone", null, "[tmp] : failed to provision", null);
        assertThat(VolumeObservation.moved(List.of(a), List.of(flipped))).isFalse();
        assertThat(VolumeObservation.moved(List.of(a), List.of(new VolumeObservation("data", "dv", "Succeeded", "100.0%", null)))).isTrue();
        assertThat(VolumeObservation.moved(List.of(a), List.of(new VolumeObservation("data", "dv", "CSICloneInProgress", "5.00%", null)))).isTrue();
        assertThat(VolumeObservation.moved(null, List.of(a))).as("the first look").isTrue();
    }

    @Test
    void longTextFromCdiIsCutToWhatAnEventCarries() {
        String huge = "x".repeat(5000);
        VolumeProgress p = new VolumeObservation("data", "dv", "CloneInProgress", "1.00%", null, "copy", huge, null, null).toProgress();
        assertThat(p.fallbackReason()).hasSize(VolumeProgress.MAX_TEXT).endsWith("…");
    }
}
