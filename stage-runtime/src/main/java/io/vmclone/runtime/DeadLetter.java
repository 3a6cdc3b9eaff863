package io.vmclone.runtime;

import io.vmclone.schemas.Headers;
import io.vmclone.schemas.OutcomeLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter copy of a consumed record, built so that it always fits one record of at most
 * {@code maxBytes}: the original (key, value, headers) when it fits with the reason headers; else without
 * the value (its size and SHA-256 instead); else without the original headers and an oversize key too. A
 * copy that did not fit would abort the stage's transaction, and the record would come again forever.
 */
final class DeadLetter {
    /** Longest reason header, in characters (a reason quoting the input could otherwise be as large as it). */
    static final int MAX_REASON = OutcomeLimits.MESSAGE;
    /** The reason's length when nothing else fits. */
    private static final int MIN_REASON = 128;
    private static final int MAX_KEPT_KEY = 256;

    private DeadLetter() {}

    static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> record, String reason, String stage, String topic,
                                             int maxBytes) {
        RecordHeaders ours = reasonHeaders(record, OutcomeLimits.truncate(reason, MAX_REASON), stage);
        RecordHeaders full = originalHeaders(record);
        ours.forEach(full::add);
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(topic, null, record.key(), record.value(), full);
        if (RecordSize.of(copy) <= maxBytes) {
            return copy;
        }
        RecordHeaders withoutValue = originalHeaders(record);
        ours.forEach(withoutValue::add);
        summary(record, withoutValue, "value");
        ProducerRecord<String, byte[]> digest = new ProducerRecord<>(topic, null, record.key(), null, withoutValue);
        if (RecordSize.of(digest) <= maxBytes) {
            return digest;
        }
        // Headers of a record near the broker's limit can be most of it: keep only ours, with a short reason.
        RecordHeaders minimal = reasonHeaders(record, OutcomeLimits.truncate(reason, MIN_REASON), stage);
        boolean keepKey = record.key() == null || record.key().length() <= MAX_KEPT_KEY;
        summary(record, minimal, keepKey ? "value,headers" : "value,headers,key");
        return new ProducerRecord<>(topic, null, keepKey ? record.key() : null, null, minimal);
    }

    private static RecordHeaders reasonHeaders(ConsumerRecord<String, byte[]> record, String reason, String stage) {
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.DLQ_REASON, utf8(reason));
        h.add(Headers.DLQ_STAGE, utf8(stage));
        h.add(Headers.DLQ_ORIGIN, utf8(record.topic() + "-" + record.partition() + "@" + record.offset()));
        return h;
    }

    /** The record's own headers, less any dead-letter headers it carried (a record dead-lettered twice). */
    private static RecordHeaders originalHeaders(ConsumerRecord<String, byte[]> record) {
        RecordHeaders h = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("vmclone_dlq_")) {
                h.add(header);
            }
        }
        return h;
    }

    private static void summary(ConsumerRecord<String, byte[]> record, RecordHeaders h, String omitted) {
        h.add(Headers.DLQ_OMITTED, utf8(omitted));
        h.add(Headers.DLQ_ORIGINAL_BYTES, utf8(Long.toString(RecordSize.of(record))));
        h.add(Headers.DLQ_ORIGINAL_SHA256, utf8(sha256(record.value())));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value == null ? new byte[0] : value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
