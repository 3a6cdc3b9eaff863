package io.vmclone.robustness;

import io.vmclone.runtime.EventLogReader;
import io.vmclone.schemas.CloneEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The clone event log read once and re-read only when a lookup misses: the corpus submits every case
 * up front, so one read usually answers many cases (reading the whole log per case would dominate the run).
 */
final class EventLogSnapshot {
    /** One event and the Kafka key (clone) it was logged under. */
    record Keyed(String key, CloneEvent event) {}

    private final EventLogReader reader;
    private volatile List<Keyed> events = List.of();

    EventLogSnapshot(EventLogReader reader) {
        this.reader = reader;
    }

    /** The first event matching {@code wanted}, re-reading the log once if the snapshot has none. */
    Optional<Keyed> find(Predicate<Keyed> wanted) {
        Optional<Keyed> hit = events.stream().filter(wanted).findFirst();
        if (hit.isPresent()) {
            return hit;
        }
        events = reader.read(k -> true).stream()
                .map(e -> new Keyed(keyOf(e), e.event())).toList();
        return events.stream().filter(wanted).findFirst();
    }

    /** Every event of one clone in the current snapshot (call after {@link #find} saw its last one). */
    List<CloneEvent> history(String cloneKey) {
        return events.stream().filter(k -> cloneKey.equals(k.key())).map(Keyed::event).toList();
    }

    private static String keyOf(EventLogReader.LoggedEvent e) {
        var ref = e.event().cloneRef();
        return ref == null ? null : ref.key();
    }
}
