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
     * error through) to be called again with backoff; throw {@link RejectedRecord} for invalid input (dead-lettered,
     * its events written, no retry); any other exception gives up on the record.
     */
    List<CloneEvent> handle(CloneEvent event, RecordPosition position) throws Exception;

    /** Events to emit when the runtime gives up on a record it could decode (retries exhausted, bug). */
    default List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
        return List.of();
    }

    /**
     * True when every record on {@code topic} must be of a type this stage accepts (an intake topic): a
     * record of any other type is then invalid input, dead-lettered and passed to {@link #onUndecodable},
     * instead of being skipped as another stage's event.
     */
    default boolean requiresAcceptedTypes(String topic) {
        return false;
    }

    /** Events to emit for a record that is not a valid pipeline event (it also goes to the dead-letter topic). */
    default List<CloneEvent> onUndecodable(UndecodableRecord record) {
        return List.of();
    }

    /**
     * Called after the records of one poll were handled and before their offsets commit, so a handler
     * can batch side effects over several records (one write for many events) without ever committing
     * an offset whose effect is not yet applied. Throwing aborts the transaction: the batch's records
     * are consumed and handled again.
     */
    default void beforeCommit() throws Exception {}

    /**
     * Called on the loop thread when a rebalance gives this instance {@code partitions}: work that is
     * keyed by clone (following a copy, say) is picked up here, so two instances never do the same.
     */
    default void onPartitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {}

    /** Called on the loop thread when a rebalance takes {@code partitions} away: drop the work keyed to them. */
    default void onPartitionsRevoked(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {}

    /**
     * How many clones this stage may handle at once within one poll (1 = one record at a time). Records of
     * one clone are always handled one after the other, in log order; a handler returning more than 1
     * must be safe to call from several threads.
     */
    default int concurrency() {
        return 1;
    }

    /** Called once before consuming starts; {@code sink} publishes events that no record caused. */
    default void start(EventSink sink) throws Exception {}

    /** Called once at shutdown. */
    default void stop() {}
}
