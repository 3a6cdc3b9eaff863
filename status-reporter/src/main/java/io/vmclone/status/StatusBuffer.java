package io.vmclone.status;

import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.kube.ClonePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Events not yet written to their clone's status, per clone (keyed by uid, so a new clone reusing a
 * name never mixes with the old one), and the rule for when they must be written.
 *
 * <p>Must be written now: anything that changes the phase, conditions or outcome. May wait: a run of
 * {@code progressed} events that keeps the phase we last wrote, while our last write for that clone is
 * younger than {@code progressInterval} — that is the coalescing of progress bursts. Not thread-safe: the
 * caller holds one lock. No I/O and no clock: {@code now} is passed in.
 */
public final class StatusBuffer {
    private final Duration progressInterval;
    /** By offset: a record handled twice (a rolled-back batch) is held once. */
    private final Map<CloneRef, TreeMap<Long, LoggedEvent>> pending = new LinkedHashMap<>();
    private final Map<CloneRef, Written> written = new HashMap<>();
    /** Clones whose pending events a {@link #takeDue} already let wait. */
    private final Set<CloneRef> waiting = new HashSet<>();

    /** Our last write of a clone's status. */
    private record Written(ClonePhase phase, Instant at) {}

    public StatusBuffer(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    public synchronized void add(CloneRef clone, LoggedEvent event) {
        pending.computeIfAbsent(clone, k -> new TreeMap<>()).put(event.offset(), event);
    }

    /**
     * Removes and returns, per clone in arrival order, the events that must be written at {@code now}; the
     * others are marked waiting.
     */
    public synchronized Map<CloneRef, List<LoggedEvent>> takeDue(Instant now) {
        return take(now, false);
    }

    /** Like {@link #takeDue}, but only among clones already waiting: what a timer writes between batches. */
    public synchronized Map<CloneRef, List<LoggedEvent>> takeWaited(Instant now) {
        return take(now, true);
    }

    private Map<CloneRef, List<LoggedEvent>> take(Instant now, boolean onlyWaiting) {
        Map<CloneRef, List<LoggedEvent>> due = new LinkedHashMap<>();
        for (Iterator<Map.Entry<CloneRef, TreeMap<Long, LoggedEvent>>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<CloneRef, TreeMap<Long, LoggedEvent>> e = it.next();
            CloneRef clone = e.getKey();
            if (onlyWaiting && !waiting.contains(clone)) {
                continue;
            }
            if (mayWait(e.getValue().values(), written.get(clone), now)) {
                waiting.add(clone);
            } else {
                due.put(clone, new ArrayList<>(e.getValue().values()));
                waiting.remove(clone);
                it.remove();
            }
        }
        // Forget clones whose last write is too old to defer anything: keeps memory bounded by the active clones.
        written.entrySet().removeIf(w -> !pending.containsKey(w.getKey()) && !now.isBefore(w.getValue().at().plus(progressInterval)));
        return due;
    }

    /** True if some clone holds events that wait for their interval (a timer must come back). */
    public synchronized boolean waiting() {
        return !waiting.isEmpty();
    }

    /** The status of {@code clone} was written at {@code at} and now shows {@code phase}. */
    public synchronized void wrote(CloneRef clone, ClonePhase phase, Instant at) {
        if (phase == null || phase.terminal()) {
            written.remove(clone); // nothing follows a terminal phase
        } else {
            written.put(clone, new Written(phase, at));
        }
    }

    /** Gives back events whose write failed, to be taken again (by the timer too). */
    public synchronized void restore(CloneRef clone, Collection<LoggedEvent> events) {
        events.forEach(e -> add(clone, e));
        waiting.add(clone);
    }

    /** The clone is gone (or is another object now): drop everything about it. */
    public synchronized void forget(CloneRef clone) {
        pending.remove(clone);
        written.remove(clone);
        waiting.remove(clone);
    }

    boolean mayWait(Collection<LoggedEvent> events, Written last, Instant now) {
        if (last == null || !now.isBefore(last.at().plus(progressInterval))) {
            return false;
        }
        return events.stream().allMatch(e -> e.event().type() == EventType.PROGRESSED
                && StatusProjection.phaseOf(e.event().data(Progressed.class)) == last.phase());
    }
}
