package io.vmclone.cli.render;

import io.vmclone.schemas.kube.CloneStatus;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** One readable line for a clone's status: phase, the overall progress (a bar only for a percentage), and each volume. */
public final class ProgressView {
    private ProgressView() {}

    private static final int BAR = 20;
    private static final String NOT_AVAILABLE = "N/A";

    /**
     * E.g. {@code CloningVolumes    [#########-----------] 45.20%  rootdisk: CloneInProgress 45.20% (copy)}, or for CDI's
     * {@code N/A} (CSI and snapshot clones report no percentage) {@code CloningVolumes    N/A, 1 of 2 volumes done  ...}:
     * an empty bar would read as 0 % for as long as the copy takes.
     */
    public static String line(CloneStatus status) {
        if (status == null || status.phase() == null) {
            return "waiting for the pipeline to pick the clone up";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-17s", status.phase()));
        if (measured(status.progress())) {
            sb.append(' ').append(bar(status.progress())).append(' ').append(status.progress());
        } else if (status.progress() != null) {
            sb.append(' ').append(progress(status));
        }
        if (status.volumes() != null && !status.volumes().isEmpty()) {
            sb.append("  ").append(status.volumes().stream()
                    .map(v -> volume(v.name(), v.phase(), v.progress(), v.strategy(), v.fallbackReason(), v.message()))
                    .collect(Collectors.joining(", ")));
        }
        if (status.phaseOrNull() != null && status.phaseOrNull().terminal()) {
            String detail = outcome(status);
            if (detail != null) {
                sb.append("  ").append(detail);
            }
        }
        return sb.toString().stripTrailing();
    }

    /** The overall progress: CDI's percentage, or {@code N/A} with what can be said without one. */
    public static String progress(CloneStatus status) {
        return status.progress() == null || measured(status.progress()) ? status.progress()
                : status.progress() + volumesDone(status.volumes());
    }

    /** {@code , 1 of 3 volumes done}, or {@code , nothing to copy}: what can be said without a percentage. */
    private static String volumesDone(List<CloneStatus.VolumeStatus> volumes) {
        if (volumes == null || volumes.isEmpty()) {
            return ", nothing to copy";
        }
        long done = volumes.stream().filter(v -> "Succeeded".equals(v.phase())).count();
        return ", " + done + " of " + volumes.size() + " volume" + (volumes.size() == 1 ? "" : "s") + " done";
    }

    /**
     * One volume: {@code data: CloneInProgress 40.00% (copy, fell back: No compatible volumesnapshotclass found)} or
     * {@code root: CloneScheduled (snapshot), waits: pod apps/backup using PersistentVolumeClaim root}. Shared with the
     * audit timeline, so status and event log say it alike.
     */
    public static String volume(String name, String phase, String progress, String strategy, String fallbackReason, String waitMessage) {
        StringBuilder sb = new StringBuilder(name).append(": ").append(phase);
        if (measured(progress) && !"Succeeded".equals(phase)) {
            sb.append(' ').append(progress);
        }
        if (strategy != null || fallbackReason != null) {
            sb.append(" (").append(strategy == null ? "?" : strategy)
                    .append(fallbackReason == null ? "" : ", fell back: " + fallbackReason).append(')');
        }
        if (waitMessage != null) {
            sb.append(", waits: ").append(waitMessage);
        }
        return sb.toString();
    }

    /** A percentage CDI measured, as opposed to {@code N/A}. */
    public static boolean measured(String progress) {
        return progress != null && !NOT_AVAILABLE.equals(progress) && progress.endsWith("%");
    }

    /** {@code [#####---------------]} for a CDI-style percentage; unknown progress gives an empty bar. */
    public static String bar(String progress) {
        double pct = percent(progress);
        int filled = (int) Math.round(Math.max(0, Math.min(100, pct)) / 100.0 * BAR);
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "]";
    }

    /** {@code 45.20%} → 45.2; {@code N/A} or garbage → 0 (callers draw no bar for those). */
    public static double percent(String progress) {
        if (progress == null) {
            return 0;
        }
        try {
            return Double.parseDouble(progress.replace("%", "").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The Ready condition's reason and message for a terminal status: why it ended as it did. */
    public static String outcome(CloneStatus status) {
        CloneStatus.Condition ready = status.condition(CloneStatus.READY);
        if (ready == null) {
            return null;
        }
        String reason = ready.reason() == null ? "" : ready.reason();
        String message = ready.message() == null ? "" : ready.message();
        return (reason + (message.isEmpty() ? "" : ": " + message)).trim();
    }
}
