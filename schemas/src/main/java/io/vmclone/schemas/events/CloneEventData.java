package io.vmclone.schemas.events;

import io.vmclone.schemas.CloneRef;

/** The {@code data} of every event on the clone event log names the clone it belongs to. */
public interface CloneEventData {
    CloneRef cloneRef();
}
