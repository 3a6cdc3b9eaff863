package io.vmclone.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * CloudEvents encode/decode for every pipeline event: typed records to CloudEvents (and Kafka records in
 * binary mode) and back, validating {@code data} against its JSON Schema on the way in.
 */
public final class EventCodec {
    public static final String CONTENT_TYPE = "application/json";

    private final EventSchemas schemas;

    public EventCodec() {
        this(new EventSchemas());
    }

    public EventCodec(EventSchemas schemas) {
        this.schemas = schemas;
    }

    public CloudEvent toCloudEvent(CloneEvent event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(event.source())
                .withType(event.type().type())
                .withTime(event.time())
                .withDataSchema(event.type().dataschema())
                .withDataContentType(CONTENT_TYPE)
                .withData(CONTENT_TYPE, serialize(event.data()));
        CloneRef clone = event.cloneRef();
        if (clone != null) {
            builder.withSubject(clone.subject()).withExtension(Headers.PARTITION_KEY_EXTENSION, clone.key());
        }
        if (event.requester() != null) {
            builder.withExtension(Headers.REQUESTER_EXTENSION, event.requester());
        }
        if (event.requesterGroups() != null) {
            builder.withExtension(Headers.REQUESTER_GROUPS_EXTENSION, event.requesterGroups());
        }
        return builder.build();
    }

    /** Decodes and validates; throws {@link InvalidEventException} naming the offending attribute or field. */
    public CloneEvent fromCloudEvent(CloudEvent ce) {
        if (ce.getSpecVersion() != SpecVersion.V1) {
            throw new InvalidEventException("specversion", "must be 1.0, got " + ce.getSpecVersion());
        }
        // Required and non-empty (CloudEvents 1.0), whichever door and mode the event came through.
        if (ce.getId() == null || ce.getId().isEmpty()) {
            throw new InvalidEventException("id", "is required and may not be empty");
        }
        if (ce.getSource() == null || ce.getSource().toString().isEmpty()) {
            throw new InvalidEventException("source", "is required and may not be empty");
        }
        if (ce.getType() == null || ce.getType().isEmpty()) {
            throw new InvalidEventException("type", "is required and may not be empty");
        }
        EventType type = EventType.fromType(ce.getType())
                .orElseThrow(() -> new InvalidEventException("type", "unknown event type '" + ce.getType() + "'"));
        String contentType = ce.getDataContentType();
        if (contentType != null && !contentType.startsWith(CONTENT_TYPE)) {
            throw new InvalidEventException("datacontenttype", "must be application/json, got '" + contentType + "'");
        }
        CloudEventData data = ce.getData();
        if (data == null) {
            throw new InvalidEventException("data", "is required");
        }
        JsonNode node;
        try {
            node = StrictJson.read(data.toBytes(), "data");
        } catch (IOException e) {
            // The parser's own message, not getMessage(): that appends a location naming a Jackson feature flag.
            String why = e instanceof JsonProcessingException j ? StrictJson.describe(j) : "unreadable";
            throw new InvalidEventException("data", "is not valid JSON: " + why);
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidEventException("data", "is empty");
        }
        List<EventSchemas.Violation> violations = schemas.validate(type, node);
        if (!violations.isEmpty()) {
            EventSchemas.Violation first = violations.get(0);
            throw new InvalidEventException(first.field(), first.message());
        }
        Object value;
        try {
            value = Json.MAPPER.treeToValue(node, type.dataClass());
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new InvalidEventException(StrictJson.join("data", StrictJson.path(e)), "does not match " + type.type() + ": "
                    + StrictJson.describe(e));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("data", "does not match " + type.type() + ": " + StrictJson.describe(e));
        }
        OffsetDateTime time = ce.getTime();
        Object requester = ce.getExtension(Headers.REQUESTER_EXTENSION);
        Object groups = ce.getExtension(Headers.REQUESTER_GROUPS_EXTENSION);
        CloneEvent event = new CloneEvent(ce.getId(), ce.getSource(), type, time, value,
                requester == null ? null : requester.toString(), groups == null ? null : groups.toString());
        CloneRef clone = event.cloneRef();
        if (clone != null) {
            if (ce.getSubject() != null && !ce.getSubject().equals(clone.subject())) {
                throw new InvalidEventException("subject", "must be " + clone.subject() + ", got " + ce.getSubject());
            }
            Object key = ce.getExtension(Headers.PARTITION_KEY_EXTENSION);
            if (key != null && !key.toString().equals(clone.key())) {
                throw new InvalidEventException(Headers.PARTITION_KEY_EXTENSION, "must be " + clone.key() + ", got " + key);
            }
        }
        return event;
    }

    /** A binary-mode Kafka record keyed by the clone ({@code <ns>/<name>}). */
    public ProducerRecord<String, byte[]> toRecord(String topic, CloneEvent event) {
        CloneRef clone = event.cloneRef();
        String key = clone != null ? clone.key() : event.id();
        return KafkaMessageFactory.<String>createWriter(topic, key).writeBinary(toCloudEvent(event));
    }

    /** A structured-mode Kafka record (the whole CloudEvent as JSON in the value). */
    public ProducerRecord<String, byte[]> toStructuredRecord(String topic, CloneEvent event) {
        CloneRef clone = event.cloneRef();
        String key = clone != null ? clone.key() : event.id();
        return KafkaMessageFactory.<String>createWriter(topic, key).writeStructured(toCloudEvent(event), JsonFormat.CONTENT_TYPE);
    }

    /**
     * Reads a CloudEvent in binary or structured mode; {@link InvalidEventException} if it is none, naming the
     * attribute when one is missing, empty, of the wrong type or given twice ({@link CloudEventEnvelope}).
     */
    public CloudEvent readCloudEvent(ConsumerRecord<?, byte[]> record) {
        Map<String, List<String>> attributes = binaryAttributes(record);
        if (!attributes.isEmpty()) {
            CloudEventEnvelope.checkBinary(attributes);
        } else if (isStructured(record) && record.value() != null) {
            CloudEventEnvelope.checkStructured(record.value());
        }
        return readCloudEventLeniently(record);
    }

    /**
     * Reads a CloudEvent as the SDK does, without {@link CloudEventEnvelope}'s checks: only to salvage the id
     * and source of a refused record for its rejection, never to act on it.
     */
    public CloudEvent readCloudEventLeniently(ConsumerRecord<?, byte[]> record) {
        try {
            MessageReader reader = KafkaMessageFactory.createReader(record);
            return reader.toEvent();
        } catch (CloudEventRWException | IllegalStateException e) {
            throw new InvalidEventException("record", "is not a CloudEvent: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidEventException("record", "is not a readable CloudEvent: " + e.getMessage(), e);
        }
    }

    /** The {@code ce_*} headers by attribute name, each with all its values (binary mode); empty in structured mode. */
    private static Map<String, List<String>> binaryAttributes(ConsumerRecord<?, byte[]> record) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            String key = h.key().toLowerCase(java.util.Locale.ROOT);
            if (key.startsWith("ce_")) {
                out.computeIfAbsent(key.substring(3), k -> new ArrayList<>())
                        .add(h.value() == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static boolean isStructured(ConsumerRecord<?, byte[]> record) {
        Header h = record.headers().lastHeader("content-type");
        return h != null && new String(h.value(), java.nio.charset.StandardCharsets.UTF_8).startsWith(JsonFormat.CONTENT_TYPE);
    }

    public CloneEvent decode(ConsumerRecord<?, byte[]> record) {
        return fromCloudEvent(readCloudEvent(record));
    }

    /** The binary-mode {@code ce_type} header, or null (structured mode, or not a CloudEvent). */
    public static String typeHeader(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(Headers.CE_TYPE);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The structured-mode JSON event format (for HTTP and tools). */
    public static EventFormat jsonFormat() {
        return EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    }

    public static byte[] serialize(Object data) {
        try {
            return Json.MAPPER.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + data.getClass().getSimpleName(), e);
        }
    }
}
