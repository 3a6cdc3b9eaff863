package io.vmclone.runtime;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What a record weighs against Kafka's size limits: key + value + headers, plus a margin for the record
 * and batch framing (varints, timestamps, the 61-byte batch header) that the producer counts too.
 */
final class RecordSize {
    /** Framing of one record in its own batch, and of each header, rounded up. */
    static final int RECORD_OVERHEAD = 128;
    static final int HEADER_OVERHEAD = 10;

    private RecordSize() {}

    static long of(ProducerRecord<String, byte[]> r) {
        return RECORD_OVERHEAD + bytes(r.key()) + (r.value() == null ? 0 : r.value().length) + headers(r.headers());
    }

    static long of(ConsumerRecord<String, byte[]> r) {
        return RECORD_OVERHEAD + bytes(r.key()) + (r.value() == null ? 0 : r.value().length) + headers(r.headers());
    }

    private static long headers(Iterable<Header> headers) {
        long n = 0;
        for (Header h : headers) {
            n += HEADER_OVERHEAD + bytes(h.key()) + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }

    private static long bytes(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
