package io.vmclone.executor;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.CdiEvents;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One DataVolume as last seen, with what CDI wrote about it elsewhere.
 *
 * @param message        the message of its last condition that has one (CDI puts why a clone waits or fails there)
 * @param strategy       CDI's {@code cloneType} (DataVolume, else target claim): snapshot, csi-clone or copy
 * @param fallbackReason CDI's {@code cloneFallbackReason}, which CDI writes on the target claim only
 * @param unbound        the Bound condition's message while CDI says the claim is not bound (e.g. the CSI
 *                       driver's refusal, copied by CDI from the claim's events); null once bound or unknown
 * @param sourceInUse    CDI's {@code pod <ns>/<pod> using PersistentVolumeClaim <claim>} while CDI waits for
 *                       that pod before it starts the clone; null otherwise
 */
public record VolumeObservation(String volume, String dataVolume, String phase, String progress, String message,
                                String strategy, String fallbackReason, String unbound, String sourceInUse) {
    public static final String NOT_SEEN = "Pending";

    /** A CloneSourceInUse Event about this DataVolume or its claim: what it was recorded on, CDI's message, when last. */
    public record InUseEvent(String kind, String uid, String message, Instant lastSeen) {}

    /** Only what the DataVolume's status says (tests, and DataVolumes whose claim and events are not known). */
    public VolumeObservation(String volume, String dataVolume, String phase, String progress, String message) {
        this(volume, dataVolume, phase, progress, message, null, null, null, null);
    }

    public static VolumeObservation of(FollowedClone.Volume planned, GenericKubernetesResource dv) {
        return of(planned, dv, null, List.of());
    }

    /**
     * @param dv     may be null (not created yet, or not in the cache yet): it counts as Pending
     * @param claim  CDI's target claim of the same name, or null
     * @param events CloneSourceInUse Events recorded on an object of the DataVolume's name, in any order
     */
    public static VolumeObservation of(FollowedClone.Volume planned, GenericKubernetesResource dv, HasMetadata claim,
                                       List<InUseEvent> events) {
        Map<?, ?> status = dv == null || !(dv.getAdditionalProperties().get("status") instanceof Map<?, ?> m) ? null : m;
        String strategy = annotation(dv, CdiAnnotations.CLONE_TYPE);
        strategy = strategy != null ? strategy : annotation(claim, CdiAnnotations.CLONE_TYPE);
        String fallback = annotation(claim, CdiAnnotations.CLONE_FALLBACK_REASON);
        fallback = fallback != null ? fallback : annotation(dv, CdiAnnotations.CLONE_FALLBACK_REASON);
        if (status == null) {
            return new VolumeObservation(planned.volume(), planned.dataVolume(), NOT_SEEN, CdiPhases.NOT_AVAILABLE, null,
                    strategy, fallback, null, null);
        }
        String phase = text(status.get("phase"));
        phase = phase == null ? NOT_SEEN : phase;
        String progress = text(status.get("progress"));
        Object conditions = status.get("conditions");
        String inUse = CdiPhases.notStarted(phase) ? sourceInUse(dv, claim, events, conditions) : null;
        return new VolumeObservation(planned.volume(), planned.dataVolume(), phase, progress == null ? CdiPhases.NOT_AVAILABLE : progress,
                lastConditionMessage(conditions), strategy, fallback, unboundMessage(conditions), inUse);
    }

    /**
     * CDI's newest CloneSourceInUse Event on this DataVolume or its claim (an Event about an earlier object of the
     * same name does not count), else the same words in a condition (CDI 1.66+ repeats the claim's latest event
     * in the Bound condition).
     */
    static String sourceInUse(HasMetadata dv, HasMetadata claim, List<InUseEvent> events, Object conditions) {
        String dvUid = dv == null ? null : dv.getMetadata().getUid();
        String claimUid = claim == null ? null : claim.getMetadata().getUid();
        String fromEvent = events.stream()
                .filter(e -> about(e, dvUid, claimUid))
                .filter(e -> CdiEvents.sourceInUseText(e.message()).isPresent())
                .max(Comparator.comparing(InUseEvent::lastSeen, Comparator.nullsFirst(Comparator.naturalOrder())))
                .flatMap(e -> CdiEvents.sourceInUseText(e.message()))
                .orElse(null);
        if (fromEvent != null || !(conditions instanceof List<?> list)) {
            return fromEvent;
        }
        return list.stream().filter(c -> c instanceof Map<?, ?>).map(c -> text(((Map<?, ?>) c).get("message")))
                .map(CdiEvents::sourceInUseText).flatMap(java.util.Optional::stream).findFirst().orElse(null);
    }

    /** Recorded on this DataVolume or this claim, as far as the uids tell (an unknown uid cannot rule it out). */
    private static boolean about(InUseEvent e, String dvUid, String claimUid) {
        String expected = "DataVolume".equals(e.kind()) ? dvUid : claimUid;
        return e.uid() == null || expected == null || e.uid().equals(expected);
    }

    static String lastConditionMessage(Object conditions) {
        String last = null;
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && text(m.get("message")) != null) {
                    last = text(m.get("message"));
                }
            }
        }
        return last;
    }

    /** The Bound condition's message when its status is False. */
    static String unboundMessage(Object conditions) {
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && "Bound".equals(m.get("type")) && "False".equals(m.get("status"))) {
                    return text(m.get("message"));
                }
            }
        }
        return null;
    }

    /**
     * Whether CDI moved any volume between two looks: a phase or a progress change. Condition messages are not
     * progress: CDI rewrites them from the claim's latest event, which alternates while a CSI driver keeps refusing
     * the clone ("provisioning", "failed to provision"), and counting that would keep such a clone from ever stalling.
     */
    public static boolean moved(List<VolumeObservation> before, List<VolumeObservation> after) {
        if (before == null || before.size() != after.size()) {
            return true;
        }
        for (int i = 0; i < after.size(); i++) {
            VolumeObservation b = before.get(i);
            VolumeObservation a = after.get(i);
            if (!java.util.Objects.equals(b.phase(), a.phase()) || !java.util.Objects.equals(b.progress(), a.progress())) {
                return true;
            }
        }
        return false;
    }

    /** As carried by events; a progress string outside CDI's format is reported as {@code N/A}. */
    public VolumeProgress toProgress() {
        return new VolumeProgress(volume, dataVolume, phase, CdiPhases.validProgress(progress) ? progress : CdiPhases.NOT_AVAILABLE,
                cut(strategy, 63), cut(fallbackReason, VolumeProgress.MAX_TEXT),
                sourceInUse == null ? null : CdiEvents.CLONE_SOURCE_IN_USE, cut(sourceInUse, VolumeProgress.MAX_TEXT));
    }

    private static String annotation(HasMetadata r, String key) {
        Map<String, String> annotations = r == null ? null : r.getMetadata().getAnnotations();
        return annotations == null ? null : text(annotations.get(key));
    }

    private static String text(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
