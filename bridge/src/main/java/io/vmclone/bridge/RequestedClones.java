package io.vmclone.bridge;

import io.vmclone.runtime.EventLogReader;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the event log says about the clones the bridge decided on, rebuilt at start (and whenever a replica
 * becomes the leader): the status reporter may not have written a status yet when the bridge restarts, so
 * the log is the record.
 *
 * @param decided    uids requested or rejected: never requested again
 * @param unfinished clones requested and not yet ended or cancelled, by uid: if one is no longer in the
 *                   cluster, it was deleted while no bridge watched, and its cancellation is still owed
 */
public record RequestedClones(Set<String> decided, Map<String, CloneRef> unfinished) {
    public static RequestedClones fromLog(EventLogReader log) {
        Set<String> decided = new HashSet<>();
        Map<String, CloneRef> unfinished = new HashMap<>();
        for (EventLogReader.LoggedEvent logged : log.read(key -> true)) {
            CloneEvent e = logged.event();
            String uid = e.cloneRef() == null ? null : e.cloneRef().uid();
            if (uid == null || !e.type().mayComeFrom(e.source())) {
                continue; // a forged event decides nothing (the stages dead-letter it too)
            }
            switch (e.type()) {
                case REQUESTED -> {
                    decided.add(uid);
                    unfinished.put(uid, e.cloneRef());
                }
                case REJECTED -> {
                    decided.add(uid);
                    unfinished.remove(uid);
                }
                case SUCCEEDED, FAILED, CANCELLED, CANCEL_REQUESTED -> unfinished.remove(uid);
                default -> { }
            }
        }
        return new RequestedClones(decided, unfinished);
    }

    /** No log read (replay switched off): nothing decided, nothing owed. */
    public static RequestedClones none() {
        return new RequestedClones(Set.of(), Map.of());
    }
}
