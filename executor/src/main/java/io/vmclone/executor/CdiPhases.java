package io.vmclone.executor;

import io.vmclone.schemas.events.VolumeProgress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What CDI's DataVolume phases and progress strings mean for a clone. */
public final class CdiPhases {
    private CdiPhases() {}

    /**
     * Succeeded, and the WaitForFirstConsumer phases: on WFFC storage the PVC binds only when the target
     * VM first starts, so for cloning purposes the volume is as done as it can be (docs/executor.md).
     */
    private static final Set<String> DONE = Set.of("Succeeded", "WaitForFirstConsumer", "PendingPopulation");

    public static boolean done(String phase) {
        return DONE.contains(phase);
    }

    /** Parses CDI's {@code 45.20%}; N/A and garbage count as 0, done phases as 100. */
    public static double percent(VolumeProgress v) {
        if (done(v.phase())) {
            return 100.0;
        }
        String p = v.progress();
        if (p == null || !p.endsWith("%")) {
            return 0.0;
        }
        try {
            return Math.max(0.0, Math.min(100.0, Double.parseDouble(p.substring(0, p.length() - 1))));
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }

    /** The mean of the volumes' percentages, in CDI's format. */
    public static String overall(List<VolumeProgress> volumes) {
        double mean = volumes.isEmpty() ? 100.0 : volumes.stream().mapToDouble(CdiPhases::percent).average().orElse(0.0);
        return String.format(Locale.ROOT, "%.2f%%", mean);
    }
}
