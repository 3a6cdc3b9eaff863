package io.vmclone.bridge.intake;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.kube.ClonePhase;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The external requests that became clones, by request key (source + id), across namespaces and whether or
 * not the clone still exists: what answers a replay. Fed by this bridge's own materialisations and by the
 * event log ({@link #learn}), which every replica follows from its beginning, so a restarted bridge and the
 * other replicas know what any replica made, for as long as the log keeps the clone's {@code requested}.
 *
 * <p>Bounded: it holds the {@code capacity} requests learned last; the oldest is forgotten first. A replay
 * of a forgotten request is still recognised while its clone exists (its request-key label), not after.
 */
public final class RequestLedger {
    /** The events {@link #learn} reads: what a request became, and how its clone ended. */
    public static final Set<EventType> LOGGED_TYPES = EnumSet.of(EventType.REQUESTED, EventType.SUCCEEDED, EventType.FAILED,
            EventType.REJECTED, EventType.CANCELLED);

    private final Map<String, String> keyByUid = new HashMap<>();
    private final Map<String, KnownRequest> byKey;
    private long forgotten;

    public RequestLedger(int capacity) {
        this.byKey = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, KnownRequest> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                if (eldest.getValue().cloneRef().uid() != null) {
                    keyByUid.remove(eldest.getValue().cloneRef().uid());
                }
                forgotten++;
                return true;
            }
        };
    }

    public synchronized Optional<KnownRequest> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /**
     * Records what became of a request. The first clone made for a key stays its original (a second one can
     * only be a leftover of bridges before this ledger); only a phase a clone never leaves is kept.
     */
    public synchronized void remember(KnownRequest request) {
        KnownRequest known = request.ended() ? request : request.withPhase(null);
        KnownRequest old = byKey.get(known.key());
        if (old != null && !old.sameClone(known)) {
            return;
        }
        byKey.put(known.key(), old == null ? known : old.mergedWith(known));
        if (known.cloneRef().uid() != null) {
            keyByUid.put(known.cloneRef().uid(), known.key());
        }
    }

    /** The clone {@code uid} ended in {@code phase}: a replay's answer says so. */
    public synchronized void ended(String uid, ClonePhase phase) {
        String key = uid == null ? null : keyByUid.get(uid);
        KnownRequest known = key == null ? null : byKey.get(key);
        if (known != null && !known.ended()) {
            byKey.put(key, known.withPhase(phase.name()));
        }
    }

    /** Takes in one event of the log: an external request's {@code requested}, or the end of a clone. */
    public void learn(CloneEvent e) {
        if (!e.type().mayComeFrom(e.source()) || e.cloneRef() == null) {
            return; // a forged event teaches nothing (the stages dead-letter it)
        }
        String uid = e.cloneRef().uid();
        switch (e.type()) {
            case REQUESTED -> {
                Requested requested = e.data(Requested.class);
                Origin o = requested.origin();
                if (o != null && !Origin.RESOURCE.equals(o.channel()) && o.eventSource() != null && o.eventId() != null) {
                    remember(new KnownRequest(RequestKeys.requestKey(o.eventSource(), o.eventId()), o.digest(), requested.cloneRef(),
                            null, null));
                }
            }
            case SUCCEEDED -> ended(uid, ClonePhase.Succeeded);
            case FAILED, REJECTED -> ended(uid, ClonePhase.Failed);
            case CANCELLED -> ended(uid, ClonePhase.Cancelled);
            default -> { }
        }
    }

    public synchronized int size() {
        return byKey.size();
    }

    /** How many requests were forgotten to stay within the bound. */
    public synchronized long forgotten() {
        return forgotten;
    }
}
