package io.vmclone.cli.render;

import io.vmclone.schemas.kube.CloneStatus;
import java.util.Locale;
import java.util.stream.Collectors;

/** One readable line for a clone's status: phase, a progress bar with the overall %, and each volume. */
public final class ProgressView {
    private ProgressView() {}

    private static final int BAR = 20;

    /** E.g. {@code CloningVolumes    [#########-----------] 45.20%  rootdisk: CSICloneInProgress 45.20%}. */
    public static String line(CloneStatus status) {
        if (status == null || status.phase() == null) {
            return "waiting for the pipeline to pick the clone up";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-17s", status.phase()));
        if (status.progress() != null) {
            sb.append(' ').append(bar(status.progress())).append(' ').append(status.progress());
        }
        if (status.volumes() != null && !status.volumes().isEmpty()) {
            sb.append("  ").append(status.volumes().stream()
                    .map(v -> v.name() + ": " + v.phase() + (v.progress() == null || "N/A".equals(v.progress()) ? "" : " " + v.progress()))
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

    /** {@code [#####---------------]} for a CDI-style percentage; unknown progress gives an empty bar. */
    public static String bar(String progress) {
        double pct = percent(progress);
        int filled = (int) Math.round(Math.max(0, Math.min(100, pct)) / 100.0 * BAR);
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "]";
    }

    /** {@code 45.20%} → 45.2; {@code N/A} or garbage → 0. */
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
