package io.vmclone.executor;

import io.vmclone.runtime.BoundedMap;
import io.vmclone.schemas.EventType;
import java.util.Map;
import java.util.Optional;

/**
 * The terminal outcome of the clones this executor knows ended (from the event log at start, and from
 * what it decided since), by clone uid: replays of {@code planned} and late cancels consult it. Replays
 * come soon after the original (an uncommitted batch, a restart that reads the log again), so the latest
 * {@value #REMEMBERED} outcomes are enough and memory stays flat however many clones ran. Outcomes this
 * instance decided are always kept over older ones read from the log: the log may not show them yet.
 */
final class Outcomes {
    static final int REMEMBERED = 100_000;

    private final int capacity;
    private Map<String, EventType> byUid;

    Outcomes() {
        this(REMEMBERED);
    }

    Outcomes(int capacity) {
        this.capacity = capacity;
        this.byUid = BoundedMap.leastRecentlyUsed(capacity);
    }

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

    /**
     * Outcomes read from the log ({@code outcomes} in log order): they go in as the oldest, and what this
     * instance knew already (its own decisions among them) stays the most recent.
     */
    synchronized void recordAll(Map<String, EventType> outcomes) {
        Map<String, EventType> merged = BoundedMap.leastRecentlyUsed(capacity);
        outcomes.forEach((uid, terminal) -> {
            if (uid != null && terminal.terminal()) {
                merged.put(uid, terminal);
            }
        });
        byUid.forEach(merged::put);
        byUid = merged;
    }
}
