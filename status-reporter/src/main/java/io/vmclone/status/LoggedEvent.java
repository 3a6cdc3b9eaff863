package io.vmclone.status;

import io.vmclone.runtime.RecordPosition;
import io.vmclone.schemas.CloneEvent;

/** An event with its place in the clone's ordered log (the offset in the clone's partition). */
public record LoggedEvent(CloneEvent event, RecordPosition position) {
    public long offset() {
        return position.offset();
    }
}
