package io.vmclone.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmclone.schemas.events.CancelRequested;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CloudEvents as the spec says, on Kafka in both modes: the required attributes present and non-empty, the
 * optional ones free to be absent, no key or attribute twice, type errors named by the attribute or field.
 */
class CloudEventConformanceTest {
    private static final EventCodec CODEC = new EventCodec();
    private static final String DATA = "{\"clone\":{\"namespace\":\"ns\",\"name\":\"c\",\"uid\":\"u\"}}";
    private static final String TYPE = EventType.CANCEL_REQUESTED.type();

    /** A structured-mode value and the field its refusal must name (null: it must decode). */
    record Structured(String name, String json, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Structured> structured() {
        String rest = "\"source\":\"/vmclone/bridge\",\"type\":\"" + TYPE + "\",\"data\":" + DATA;
        return List.of(
                new Structured("all required, no optional attribute", "{\"specversion\":\"1.0\",\"id\":\"a\"," + rest + "}", null),
                new Structured("with every optional attribute", "{\"specversion\":\"1.0\",\"id\":\"a\",\"time\":\"2026-11-25T12:00:00Z\","
                        + "\"subject\":\"namespaces/ns/virtualmachineclones/c\",\"dataschema\":\"https://vmclone.io/schemas/events/v1/"
                        + "cancel-requested.json\",\"datacontenttype\":\"application/json\"," + rest + "}", null),
                new Structured("id missing", "{\"specversion\":\"1.0\"," + rest + "}", "id"),
                new Structured("id empty", "{\"specversion\":\"1.0\",\"id\":\"\"," + rest + "}", "id"),
                new Structured("source empty", "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"\",\"type\":\"" + TYPE + "\",\"data\":"
                        + DATA + "}", "source"),
                new Structured("type missing", "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/x\",\"data\":" + DATA + "}", "type"),
                new Structured("specversion missing", "{\"id\":\"a\"," + rest + "}", "specversion"),
                new Structured("id a number", "{\"specversion\":\"1.0\",\"id\":5," + rest + "}", "id"),
                new Structured("specversion a number", "{\"specversion\":1.0,\"id\":\"a\"," + rest + "}", "specversion"),
                new Structured("time not a timestamp", "{\"specversion\":\"1.0\",\"id\":\"a\",\"time\":\"yesterday\"," + rest + "}", "time"),
                new Structured("extension an object", "{\"specversion\":\"1.0\",\"id\":\"a\",\"requester\":{\"u\":1}," + rest + "}",
                        "requester"),
                new Structured("type twice", "{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"com.example.other\"," + rest + "}", "type"),
                new Structured("a data key twice", "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/x\",\"type\":\"" + TYPE + "\","
                        + "\"data\":{\"clone\":{\"namespace\":\"ns\",\"name\":\"c\",\"name\":\"d\"}}}", "data.clone.name"),
                new Structured("a data field of the wrong type", "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/x\",\"type\":\""
                        + TYPE + "\",\"data\":{\"clone\":{\"namespace\":\"ns\",\"name\":7}}}", "data.clone.name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structured")
    void structuredModeNamesWhatIsWrong(Structured c) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> record = record(c.json().getBytes(StandardCharsets.UTF_8), headers);
        if (c.field() == null) {
            CloneEvent event = CODEC.decode(record);
            assertThat(event.id()).isEqualTo("a");
            return;
        }
        assertThatThrownBy(() -> CODEC.decode(record))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(c.field()));
    }

    /** A binary-mode record's headers, changed, and the attribute its refusal must name (null: it must decode). */
    record Binary(String name, String remove, String header, String value, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Binary> binary() {
        return List.of(
                new Binary("as written", null, null, null, null),
                new Binary("no time", "ce_time", null, null, null),
                new Binary("no subject, no dataschema", "ce_subject", "ce_dataschema", null, null),
                new Binary("id missing", "ce_id", null, null, "id"),
                new Binary("id empty", "ce_id", "ce_id", "", "id"),
                new Binary("source empty", "ce_source", "ce_source", "", "source"),
                new Binary("type twice", null, "ce_type", "com.example.other", "type"),
                new Binary("id twice", null, "ce_id", "another", "id"),
                new Binary("time not a timestamp", "ce_time", "ce_time", "soon", "time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binary")
    void binaryModeNamesWhatIsWrong(Binary c) {
        CloneEvent event = new CloneEvent("a", CloneEvent.sourceOf("bridge"), EventType.CANCEL_REQUESTED,
                java.time.OffsetDateTime.now(), new CancelRequested(new CloneRef("ns", "c", "u")), null);
        ProducerRecord<String, byte[]> produced = CODEC.toRecord("t", event);
        RecordHeaders headers = new RecordHeaders(produced.headers().toArray());
        if (c.remove() != null) {
            headers.remove(c.remove());
        }
        if ("ce_dataschema".equals(c.header())) {
            headers.remove("ce_dataschema");
        } else if (c.header() != null) {
            headers.add(c.header(), c.value().getBytes(StandardCharsets.UTF_8));
        }
        ConsumerRecord<String, byte[]> record = record(produced.value(), headers);
        if (c.field() == null) {
            assertThat(CODEC.decode(record).id()).isEqualTo("a");
            return;
        }
        assertThatThrownBy(() -> CODEC.decode(record))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(c.field()));
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("t", 0, 0L, 0L, TimestampType.CREATE_TIME, 0, value.length, "ns/c", value, headers, Optional.empty());
    }

}
