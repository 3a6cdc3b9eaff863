package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A dead letter always fits one record: the original when it fits, else headers, size, digest and origin. */
class DeadLetterTest {
    private static final int LIMIT = 100_000;

    /** A consumed record of the given key, value and header sizes, and what its dead letter must leave out. */
    record Case(String name, int keyChars, int valueBytes, int headerBytes, String omitted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("small record: copied as it is", 10, 1_000, 100, null),
                new Case("value just under the limit: the reason headers would push it over", 10, LIMIT - 200, 100, "value"),
                new Case("value far over the limit", 10, 3 * LIMIT, 100, "value"),
                new Case("headers over the limit", 10, 10, 2 * LIMIT, "value,headers"),
                new Case("key and headers over the limit", 2 * LIMIT, 10, 2 * LIMIT, "value,headers,key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theDeadLetterFitsAndSaysWhatItLeftOut(Case c) {
        ConsumerRecord<String, byte[]> record = record(c);
        String hugeReason = "data.x: " + "\u0001".repeat(50_000);

        ProducerRecord<String, byte[]> dlq = DeadLetter.of(record, hugeReason, "planner", "dlq", LIMIT);

        assertThat(RecordSize.of(dlq)).isLessThanOrEqualTo(LIMIT);
        assertThat(header(dlq, Headers.DLQ_REASON).orElseThrow()).startsWith("data.x: ").hasSizeLessThanOrEqualTo(DeadLetter.MAX_REASON);
        assertThat(header(dlq, Headers.DLQ_STAGE)).hasValue("planner");
        assertThat(header(dlq, Headers.DLQ_ORIGIN)).hasValue("vmclone.events-3@42");
        assertThat(header(dlq, Headers.DLQ_OMITTED)).isEqualTo(Optional.ofNullable(c.omitted()));
        if (c.omitted() == null) {
            assertThat(dlq.value()).isEqualTo(record.value());
            assertThat(dlq.key()).isEqualTo(record.key());
            assertThat(header(dlq, "original-header")).isPresent();
        } else {
            assertThat(dlq.value()).isNull();
            assertThat(header(dlq, Headers.DLQ_ORIGINAL_BYTES)).hasValue(Long.toString(RecordSize.of(record)));
            assertThat(header(dlq, Headers.DLQ_ORIGINAL_SHA256)).hasValue(DeadLetter.sha256(record.value()));
            assertThat(header(dlq, "original-header").isPresent()).isEqualTo(!c.omitted().contains("headers"));
            assertThat(dlq.key()).isEqualTo(c.omitted().contains("key") ? null : record.key());
        }
    }

    private static ConsumerRecord<String, byte[]> record(Case c) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("original-header", "x".repeat(c.headerBytes()).getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.DLQ_REASON, "an earlier stage's reason".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>("vmclone.events", 3, 42, 0L, TimestampType.CREATE_TIME, c.keyChars(), c.valueBytes(),
                "k".repeat(c.keyChars()), new byte[c.valueBytes()], headers, Optional.empty());
    }

    private static Optional<String> header(ProducerRecord<String, byte[]> r, String name) {
        List<String> values = new java.util.ArrayList<>();
        r.headers().headers(name).forEach(h -> values.add(new String(h.value(), StandardCharsets.UTF_8)));
        assertThat(values).as("at most one " + name).hasSizeLessThanOrEqualTo(1);
        return values.stream().findFirst();
    }
}
