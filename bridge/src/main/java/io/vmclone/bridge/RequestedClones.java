package io.vmclone.bridge;

import io.vmclone.runtime.EventLogReader;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The clones the bridge already decided about, by uid, rebuilt from the event log at start: the status
 * reporter may not have written a status yet when the bridge restarts, so the log is the record.
 */
public final class RequestedClones {
    private RequestedClones() {}

    public static Set<String> fromLog(EventLogReader log) {
        return log.read(key -> true).stream()
                .map(EventLogReader.LoggedEvent::event)
                .filter(e -> e.type() == EventType.REQUESTED || e.type() == EventType.REJECTED)
                .map(e -> e.cloneRef())
                .map(CloneRef::uid)
                .filter(uid -> uid != null)
                .collect(Collectors.toSet());
    }
}
