package io.vmclone.executor;

import io.vmclone.runtime.BoundedMap;
import io.vmclone.schemas.EventType;
import java.util.Map;
import java.util.Optional;

/**
 * The terminal outcome of the clones this executor knows ended (from the event log at start, and from
 * what it decided since), by clone uid: replays of {@code planned} and late cancels consult it. Replays
 * come soon after the original (an uncommitted batch, a restart that reads the log again), so the most
 * recent {@value #REMEMBERED} outcomes are enough and memory stays flat however many clones ran.
 */
final class Outcomes {
    static final int REMEMBERED = 100_000;

    private final Map<String, EventType> byUid = BoundedMap.leastRecentlyUsed(REMEMBERED);

    synchronized Optional<EventType> of(String uid) {
        return uid == null ? Optional.empty() : Optional.ofNullable(byUid.get(uid));
    }

    boolean ended(String uid) {
        return of(uid).isPresent();
    }

    synchronized void record(String uid, EventType terminal) {
        if (uid != null && terminal.terminal()) {
            byUid.putIfAbsent(uid, terminal);
        }
    }

    void recordAll(Map<String, EventType> outcomes) {
        outcomes.forEach(this::record);
    }
}
