package io.vmclone.executor;

import io.vmclone.schemas.Reasons;
import java.time.Duration;
import java.util.List;

/** Where a followed clone stands, decided from what was last seen of its target VM and DataVolumes. */
public sealed interface CloneVerdict {
    /** The VM exists and every DataVolume is done (Succeeded, or waiting for its first consumer). */
    record Succeeded() implements CloneVerdict {}

    /** For good: {@code reason} is {@link Reasons#VOLUME_CLONE_FAILED} or {@link Reasons#STALLED}. */
    record Failed(String reason, String message) implements CloneVerdict {}

    /** Still copying. */
    record Running() implements CloneVerdict {}

    /**
     * @param sinceLastChange how long nothing in {@code volumes} (phase, progress) has changed
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

    private static String stuck(String targetName, List<VolumeObservation> volumes, boolean vmExists) {
        for (VolumeObservation v : volumes) {
            if (!CdiPhases.done(v.phase())) {
                return "DataVolume " + v.dataVolume() + " is " + v.phase() + " at " + v.progress()
                        + (v.message() == null ? "" : ": " + v.message());
            }
        }
        return vmExists ? "nothing is waiting" : "target VirtualMachine " + targetName + " does not exist";
    }
}
