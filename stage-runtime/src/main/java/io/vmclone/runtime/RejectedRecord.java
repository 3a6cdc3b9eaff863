package io.vmclone.runtime;

import io.vmclone.schemas.CloneEvent;
import java.util.List;

/**
 * Thrown by {@link StageHandler#handle} when a record decoded fine but is invalid input (a request that
 * fails validation or authorization): the runtime does not retry, dead-letters the record with this
 * message as the reason, and emits {@link #events()} (typically a {@code rejected}) in the same transaction.
 */
public final class RejectedRecord extends RuntimeException {
    private final transient List<CloneEvent> events;

    public RejectedRecord(String reason, List<CloneEvent> events) {
        super(reason, null, false, false);
        this.events = List.copyOf(events);
    }

    public List<CloneEvent> events() {
        return events;
    }
}
