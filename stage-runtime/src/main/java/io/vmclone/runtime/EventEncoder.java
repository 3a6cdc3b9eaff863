package io.vmclone.runtime;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.OutcomeLimits;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Turns a stage's events into records of the clone log, refusing any Kafka could never take. */
final class EventEncoder {
    private final EventCodec codec;
    private final String topic;
    private final int maxEventBytes;

    EventEncoder(EventCodec codec, StageSettings settings) {
        this.codec = codec;
        this.topic = settings.topics().events();
        this.maxEventBytes = settings.maxEventBytes();
    }

    /** An event and its record, encoded before anything is sent so an oversize one is caught first. */
    record Encoded(CloneEvent event, ProducerRecord<String, byte[]> record) {
    }

    /** All of {@code events}, or {@link EventTooLarge} before any is sent. */
    List<Encoded> encodeAll(List<CloneEvent> events) {
        List<Encoded> out = new ArrayList<>(events.size());
        events.forEach(e -> out.add(encode(e)));
        return out;
    }

    /** The event as a record of the clone log; {@link EventTooLarge} if it could never be produced. */
    Encoded encode(CloneEvent event) {
        CloneEvent bounded = OutcomeLimits.bounded(event); // a rejection or failure always fits, whatever it quotes
        ProducerRecord<String, byte[]> record = codec.toRecord(topic, bounded);
        long bytes = RecordSize.of(record);
        if (bytes > maxEventBytes) {
            throw new EventTooLarge(bounded.type().slug(), bytes, maxEventBytes);
        }
        return new Encoded(bounded, record);
    }
}
