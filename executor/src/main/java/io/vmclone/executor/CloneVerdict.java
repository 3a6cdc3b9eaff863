package io.vmclone.executor;

import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.CdiEvents;
import java.time.Duration;
import java.util.List;

/** Where a followed clone stands, decided from what was last seen of its target VM and DataVolumes. */
public sealed interface CloneVerdict {
    /** The VM exists and every DataVolume is done (CDI's Succeeded). */
    record Succeeded() implements CloneVerdict {}

    /** For good: {@code reason} is {@link Reasons#VOLUME_CLONE_FAILED} or {@link Reasons#STALLED}. */
    record Failed(String reason, String message) implements CloneVerdict {}

    /** Still copying. */
    record Running() implements CloneVerdict {}

    /**
     * @param sinceLastChange how long no volume's phase or progress has changed ({@link VolumeObservation#moved})
     */
    static CloneVerdict decide(String targetName, List<VolumeObservation> volumes, boolean vmExists, Duration sinceLastChange,
                               Duration stallTimeout) {
        for (VolumeObservation v : volumes) {
            if (CdiPhases.failed(v.phase())) {
                return new Failed(Reasons.VOLUME_CLONE_FAILED, "DataVolume " + v.dataVolume() + " (volume " + v.volume()
                        + ") failed: " + (v.message() == null ? "CDI gave no message" : v.message()));
            }
        }
        boolean allDone = volumes.stream().allMatch(v -> CdiPhases.done(v.phase()));
        if (allDone && vmExists) {
            return new Succeeded();
        }
        if (sinceLastChange.compareTo(stallTimeout) >= 0) {
            return new Failed(Reasons.STALLED, "no progress for " + sinceLastChange.toSeconds() + " s (stall timeout "
                    + stallTimeout.toSeconds() + " s): " + stuck(targetName, volumes, vmExists));
        }
        return new Running();
    }

    /** The first volume not done, in CDI's words: the pod it waits for, the claim CDI never bound, or its last condition. */
    private static String stuck(String targetName, List<VolumeObservation> volumes, boolean vmExists) {
        for (VolumeObservation v : volumes) {
            if (!CdiPhases.done(v.phase())) {
                String which = "DataVolume " + v.dataVolume() + " (volume " + v.volume()
                        + (v.strategy() == null ? "" : ", " + v.strategy()) + ")";
                if (v.sourceInUse() != null) {
                    return which + " waits for its source: " + v.sourceInUse() + " (" + CdiEvents.CLONE_SOURCE_IN_USE + ")";
                }
                String at = which + " is " + v.phase() + " at " + v.progress();
                if (v.unbound() != null) {
                    return at + "; CDI never bound its claim: " + v.unbound();
                }
                return at + (v.message() == null ? "" : ": " + v.message());
            }
        }
        return vmExists ? "nothing is waiting" : "target VirtualMachine " + targetName + " does not exist";
    }
}
