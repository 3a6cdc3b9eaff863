package io.vmclone.runtime;

import io.vmclone.schemas.CloneEvent;

/**
 * Publishes events that no consumed record caused (a watch saw a resource, a DataVolume moved). The
 * stage runtime sends them in its next transaction, so they are as durable as any other output.
 */
@FunctionalInterface
public interface EventSink {
    void publish(CloneEvent event);
}
