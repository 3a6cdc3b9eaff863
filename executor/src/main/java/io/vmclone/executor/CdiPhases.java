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
    /** CDI's progress while it cannot tell: always for CSI and snapshot clones until done, for any clone before it starts. */
    public static final String NOT_AVAILABLE = "N/A";

    /**
     * Only CDI's Succeeded: WaitForFirstConsumer and PendingPopulation mean no data was copied yet (the planner
     * asks for immediate binding so that CDI copies without a consumer; docs/executor.md).
     */
    private static final Set<String> DONE = Set.of(SUCCEEDED);
    /**
     * Phases in which CDI has not started the copy and may be waiting for the source (CloneSourceInUse): the
     * populator maps its Pending to CloneScheduled, the legacy flow writes CloneScheduled itself.
     */
    private static final Set<String> NOT_STARTED = Set.of(VolumeObservation.NOT_SEEN, "CloneScheduled");
    /** The event schemas' progress format: CDI's {@code 45.20%} or {@code N/A}. */
    private static final Pattern PROGRESS = Pattern.compile("^(N/A|[0-9]{1,3}(\\.[0-9]+)?%)$");

    public static boolean done(String phase) {
        return phase != null && DONE.contains(phase);
    }

    public static boolean failed(String phase) {
        return FAILED.equals(phase);
    }

    public static boolean notStarted(String phase) {
        return phase == null || NOT_STARTED.contains(phase);
    }

    public static boolean validProgress(String progress) {
        return progress != null && PROGRESS.matcher(progress).matches();
    }

    /** A percentage CDI measured (host-assisted copies, and 100.0% when done), not {@code N/A}. */
    public static boolean measured(String progress) {
        return validProgress(progress) && progress.endsWith("%");
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

    /**
     * The clone's overall progress in CDI's format: the mean of the volumes' percentages (every volume weighs
     * the same, a done one 100), but {@code N/A} when a volume still copying has no percentage (CSI and snapshot
     * clones never report one) — counting it as 0 would show a clone stuck at a low figure and then jump — and
     * {@code N/A} when there is nothing to copy.
     */
    public static String overall(List<VolumeProgress> volumes) {
        if (volumes.isEmpty() || volumes.stream().anyMatch(v -> !done(v.phase()) && !measured(v.progress()))) {
            return NOT_AVAILABLE;
        }
        return String.format(Locale.ROOT, "%.2f%%", volumes.stream().mapToDouble(CdiPhases::percent).average().orElse(0.0));
    }

    /**
     * How much moved, for deciding whether a change is worth an event only (never reported): the mean with
     * {@code N/A} as 0, so that a host-assisted volume's percentage counts even while the overall is {@code N/A}.
     */
    public static double movement(List<VolumeProgress> volumes) {
        return volumes.stream().mapToDouble(CdiPhases::percent).average().orElse(0.0);
    }
}
