package io.vmclone.runtime;

import io.vmclone.schemas.InvalidEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A consumed record that is not a valid pipeline event, and why. */
public record UndecodableRecord(ConsumerRecord<String, byte[]> record, InvalidEventException error) {
    public RecordPosition position() {
        return new RecordPosition(record.topic(), record.partition(), record.offset());
    }
}
