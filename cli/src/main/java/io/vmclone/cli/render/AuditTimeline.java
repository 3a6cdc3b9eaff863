package io.vmclone.cli.render;

import io.vmclone.runtime.EventLogReader.LoggedEvent;
import io.vmclone.schemas.CloneRef;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The audit table: time, event type, source, summary, requester (and the clone, when several are shown). */
public final class AuditTimeline {
    private AuditTimeline() {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public static String render(List<LoggedEvent> events, boolean withClone) {
        Table table = withClone ? new Table("TIME", "CLONE", "EVENT", "SOURCE", "SUMMARY", "REQUESTER")
                : new Table("TIME", "EVENT", "SOURCE", "SUMMARY", "REQUESTER");
        for (LoggedEvent e : events) {
            String time = TIME.format(timeOf(e));
            String type = e.event().type().slug();
            String source = e.event().source().toString();
            String summary = EventSummary.of(e.event());
            String requester = EventSummary.requester(e.event());
            if (withClone) {
                CloneRef ref = e.event().cloneRef();
                table.row(time, ref == null ? "" : ref.key(), type, source, summary, requester);
            } else {
                table.row(time, type, source, summary, requester);
            }
        }
        return table.render();
    }

    /** The event's own {@code time}, else when the log stored it. */
    public static Instant timeOf(LoggedEvent e) {
        return e.event().time() != null ? e.event().time().toInstant() : e.timestamp();
    }
}
