package io.vmclone.executor;

import io.vmclone.schemas.events.VolumeProgress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What CDI's DataVolume phases and progress strings mean for a clone. */
public final class CdiPhases {
    private CdiPhases() {}

    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    /**
     * Only CDI's Succeeded: WaitForFirstConsumer and PendingPopulation mean no data was copied yet (the planner
     * asks for immediate binding so that CDI copies without a consumer; docs/executor.md).
     */
    private static final Set<String> DONE = Set.of(SUCCEEDED);
    /** The event schemas' progress format: CDI's {@code 45.20%} or {@code N/A}. */
    private static final Pattern PROGRESS = Pattern.compile("^(N/A|[0-9]{1,3}(\\.[0-9]+)?%)$");

    public static boolean done(String phase) {
        return phase != null && DONE.contains(phase);
    }

    public static boolean failed(String phase) {
        return FAILED.equals(phase);
    }

    public static boolean validProgress(String progress) {
        return progress != null && PROGRESS.matcher(progress).matches();
    }

    /** Parses CDI's {@code 45.20%}; N/A and garbage count as 0, done phases as 100. */
    public static double percent(VolumeProgress v) {
        return percent(v.phase(), v.progress());
    }

    public static double percent(String phase, String progress) {
        if (done(phase)) {
            return 100.0;
        }
        if (progress == null || !progress.endsWith("%")) {
            return 0.0;
        }
        try {
            double value = Double.parseDouble(progress.substring(0, progress.length() - 1).trim());
            return Double.isNaN(value) ? 0.0 : Math.max(0.0, Math.min(100.0, value));
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }

    /** The mean of the volumes' percentages (every volume weighs the same), in CDI's format. */
    public static String overall(List<VolumeProgress> volumes) {
        double mean = volumes.isEmpty() ? 100.0 : volumes.stream().mapToDouble(CdiPhases::percent).average().orElse(0.0);
        return String.format(Locale.ROOT, "%.2f%%", mean);
    }
}
