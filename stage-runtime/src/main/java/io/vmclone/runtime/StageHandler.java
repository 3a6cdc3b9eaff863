package io.vmclone.runtime;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Topics;
import java.util.List;
import java.util.Set;

/**
 * A service's decision logic: the stage runtime consumes, filters by type, decodes and calls
 * {@link #handle}; whatever it returns is produced to the clone event log in the same Kafka
 * transaction as the consumed offset.
 */
public interface StageHandler {
    /** Event types this stage reacts to; other records are skipped without decoding their payload. */
    Set<EventType> accepts();

    /** Topics to consume; the clone event log by default. */
    default List<String> topics(Topics topics) {
        return List.of(topics.events());
    }

    /**
     * Decides what follows {@code event}. Throw {@link TransientFailure} (or let a retryable Kubernetes
     * error through) to be called again with backoff; any other exception gives up on the record.
     */
    List<CloneEvent> handle(CloneEvent event, RecordPosition position) throws Exception;

    /** Events to emit when the runtime gives up on a record it could decode (retries exhausted, bug). */
    default List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
        return List.of();
    }

    /** Events to emit for a record that is not a valid pipeline event (it also goes to the dead-letter topic). */
    default List<CloneEvent> onUndecodable(UndecodableRecord record) {
        return List.of();
    }

    /** Called once before consuming starts; {@code sink} publishes events that no record caused. */
    default void start(EventSink sink) throws Exception {}

    /** Called once at shutdown. */
    default void stop() {}
}
