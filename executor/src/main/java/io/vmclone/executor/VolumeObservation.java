package io.vmclone.executor;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.events.VolumeProgress;
import java.util.List;
import java.util.Map;

/**
 * One DataVolume as last seen: CDI's {@code status.phase}, {@code status.progress} and the message of its
 * last condition that has one (CDI puts the reason a clone waits or fails there).
 */
public record VolumeObservation(String volume, String dataVolume, String phase, String progress, String message) {
    public static final String NOT_SEEN = "Pending";

    /** {@code dv} may be null (not created yet, or not in the cache yet): it counts as Pending. */
    public static VolumeObservation of(FollowedClone.Volume planned, GenericKubernetesResource dv) {
        Map<?, ?> status = dv == null || !(dv.getAdditionalProperties().get("status") instanceof Map<?, ?> m) ? null : m;
        if (status == null) {
            return new VolumeObservation(planned.volume(), planned.dataVolume(), NOT_SEEN, "N/A", null);
        }
        Object phase = status.get("phase");
        Object progress = status.get("progress");
        return new VolumeObservation(planned.volume(), planned.dataVolume(),
                phase == null || phase.toString().isBlank() ? NOT_SEEN : phase.toString(),
                progress == null || progress.toString().isBlank() ? "N/A" : progress.toString(),
                lastConditionMessage(status.get("conditions")));
    }

    static String lastConditionMessage(Object conditions) {
        String last = null;
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && m.get("message") != null && !m.get("message").toString().isBlank()) {
                    last = m.get("message").toString();
                }
            }
        }
        return last;
    }

    /** As carried by events; a progress string outside CDI's format is reported as {@code N/A}. */
    public VolumeProgress toProgress() {
        return new VolumeProgress(volume, dataVolume, phase, CdiPhases.validProgress(progress) ? progress : "N/A");
    }
}
