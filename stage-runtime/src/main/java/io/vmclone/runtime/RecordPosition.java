package io.vmclone.runtime;

/** Where a consumed event sits in the log: its order within the clone's partition is {@code offset}. */
public record RecordPosition(String topic, int partition, long offset) {
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
