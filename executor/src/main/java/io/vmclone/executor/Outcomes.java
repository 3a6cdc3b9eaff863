package io.vmclone.executor;

import io.vmclone.schemas.EventType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The terminal outcome of every clone this executor knows ended (from the event log at start, and from
 * what it decided since), by clone uid: replays of {@code planned} and late cancels consult it.
 */
final class Outcomes {
    private final Map<String, EventType> byUid = new ConcurrentHashMap<>();

    Optional<EventType> of(String uid) {
        return uid == null ? Optional.empty() : Optional.ofNullable(byUid.get(uid));
    }

    boolean ended(String uid) {
        return of(uid).isPresent();
    }

    void record(String uid, EventType terminal) {
        if (uid != null && terminal.terminal()) {
            byUid.putIfAbsent(uid, terminal);
        }
    }

    void recordAll(Map<String, EventType> outcomes) {
        outcomes.forEach(this::record);
    }
}
