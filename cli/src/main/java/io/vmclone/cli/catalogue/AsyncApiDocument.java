package io.vmclone.cli.catalogue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Topics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The event catalogue as an AsyncAPI 3.0 document ({@code docs/asyncapi.yaml}), derived from the contracts
 * themselves — {@link EventType}, {@link Topics}, {@link Headers}, the HTTP door's path and the JSON Schemas in
 * {@code schemas/} — so it cannot drift: {@code AsyncApiDocumentTest} fails when the checked-in file differs.
 */
public final class AsyncApiDocument {
    /** Where the payload schemas are, relative to {@code docs/}. */
    static final String SCHEMA_DIR = "../schemas/src/main/resources/schemas/events/v1/";
    static final String SCHEMA_FORMAT = "application/schema+json;version=2020-12";

    private AsyncApiDocument() {}

    public static String yaml(String version) {
        try {
            return "# Generated from the contracts (cli/.../catalogue/AsyncApiDocument.java); do not edit by hand:\n"
                    + "# mvn -pl cli test -Dtest=AsyncApiDocumentTest -Dvmclone.asyncapi.write=true\n"
                    + Json.YAML.writeValueAsString(document(version));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> document(String version) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("asyncapi", "3.0.0");
        doc.put("info", map("title", "vmclone clone pipeline", "version", version, "description",
                "CloudEvents 1.0 on Kafka (binary mode: attributes in ce_* headers, data as JSON in the value; structured mode"
                        + " accepted on input) and over HTTP. The clone event log is ordered per clone (Kafka key"
                        + " <namespace>/<name>). See docs/events.md."));
        doc.put("defaultContentType", "application/json");
        doc.put("servers", map(
                "kafka", map("host", "kafka:9092", "protocol", "kafka", "description",
                        "The pipeline's brokers (KAFKA_BOOTSTRAP_SERVERS)"),
                "bridge-http", map("host", "vmclone-bridge:8090", "protocol", "https", "description",
                        "The bridge's CloudEvents HTTP door (Kubernetes bearer token for the vmclone audience); TLS with the"
                                + " certificate of VMCLONE_BRIDGE_HTTP_TLS_CERT_FILE, plain http only with VMCLONE_BRIDGE_HTTP_PLAIN=true")));
        doc.put("channels", channels());
        doc.put("operations", operations());
        doc.put("components", map("messages", messages()));
        return doc;
    }

    private static Map<String, Object> channels() {
        Map<String, Object> channels = new LinkedHashMap<>();
        channels.put("intake", channel(Topics.DEFAULT_INTAKE, "kafka", "External clone requests (VMCLONE_TOPIC_INTAKE)",
                List.of(EventType.REQUEST)));
        channels.put("events", channel(Topics.DEFAULT_EVENTS, "kafka",
                "The clone event log: every clone's ordered history, written by the stages (VMCLONE_TOPIC_EVENTS)",
                Arrays.stream(EventType.values()).filter(t -> t != EventType.REQUEST).toList()));
        Map<String, Object> dlq = new LinkedHashMap<>();
        dlq.put("address", Topics.DEFAULT_DLQ);
        dlq.put("servers", List.of(ref("#/servers/kafka")));
        dlq.put("description", "Records a stage could not use, with the original key, value and headers when they fit"
                + " (VMCLONE_TOPIC_DLQ)");
        dlq.put("messages", map("deadLetter", ref("#/components/messages/deadLetter")));
        channels.put("deadLetters", dlq);
        channels.put("http", channel(HttpIntakeServer.PATH, "bridge-http", "POST a clone request (binary or structured"
                + " CloudEvents HTTP binding): 202 with Location, 200 for a replay, 4xx naming the field; 408 for a body that does"
                + " not arrive in time, 429 with Retry-After for a client over its bounds", List.of(EventType.REQUEST)));
        return channels;
    }

    private static Map<String, Object> channel(String address, String server, String description, List<EventType> types) {
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("address", address);
        channel.put("servers", List.of(ref("#/servers/" + server)));
        channel.put("description", description);
        channel.put("messages", types.stream().collect(Collectors.toMap(EventType::slug,
                t -> ref("#/components/messages/" + t.slug()), (a, b) -> a, LinkedHashMap::new)));
        return channel;
    }

    private static Map<String, Object> operations() {
        Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("sendRequest", operation("send", "intake", "An external system asks for a clone"));
        ops.put("postRequest", operation("send", "http", "A caller asks for a clone over HTTP"));
        ops.put("readHistory", operation("receive", "events", "Audit consumers (and the stages) read every clone's history"));
        ops.put("readDeadLetters", operation("receive", "deadLetters", "Operators inspect what was refused"));
        return ops;
    }

    private static Map<String, Object> operation(String action, String channel, String summary) {
        return map("action", action, "channel", ref("#/channels/" + channel), "summary", summary);
    }

    private static Map<String, Object> messages() {
        Map<String, Object> messages = new LinkedHashMap<>();
        for (EventType t : EventType.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.type());
            m.put("title", t.slug());
            m.put("summary", t.producers().isEmpty() ? "From external systems (any source; the intake's checks apply)"
                    : "Emitted by " + t.producers().stream().map(Object::toString).sorted().collect(Collectors.joining(", "))
                    + (t.terminal() ? "; terminal: nothing follows for the clone" : ""));
            m.put("contentType", "application/json");
            m.put("headers", cloudEventHeaders(t));
            m.put("payload", map("schemaFormat", SCHEMA_FORMAT, "schema", ref(SCHEMA_DIR + t.slug() + ".json")));
            m.put("bindings", map("kafka", map("key", map("type", "string", "description",
                    "<namespace>/<name> of the clone (the partitionkey extension)"), "bindingVersion", "0.5.0")));
            messages.put(t.slug(), m);
        }
        Map<String, Object> dead = new LinkedHashMap<>();
        dead.put("name", "dead-letter");
        dead.put("title", "dead letter");
        dead.put("summary", "The original record (or, when too large, its headers, size and digest) plus why");
        dead.put("headers", deadLetterHeaders());
        dead.put("payload", map("description", "The original value's bytes, or none when it did not fit"));
        messages.put("deadLetter", dead);
        return messages;
    }

    private static Map<String, Object> cloudEventHeaders(EventType t) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("ce_specversion", map("const", "1.0"));
        props.put("ce_id", map("type", "string", "minLength", 1, "description", t == EventType.REQUEST
                ? "The caller's; with ce_source, the request's idempotency key"
                : "<clone uid>/" + t.slug() + "[/<discriminator>]: a replayed decision has the same id"));
        props.put("ce_source", map("type", "string", "minLength", 1));
        props.put(Headers.CE_TYPE, map("const", t.type()));
        props.put("ce_time", map("type", "string", "format", "date-time", "description", "optional"));
        props.put("ce_subject", map("type", "string", "description", "namespaces/<ns>/virtualmachineclones/<name>; optional"));
        props.put("ce_dataschema", map("const", t.dataschema().toString()));
        props.put("ce_" + Headers.PARTITION_KEY_EXTENSION, map("type", "string", "description", "<namespace>/<name>"));
        if (t == EventType.REQUEST) {
            props.put("ce_" + Headers.REQUESTER_EXTENSION, map("type", "string", "description",
                    "The user the external system acts for"));
        }
        props.put("content-type", map("const", "application/json"));
        return map("type", "object", "required", List.of("ce_specversion", "ce_id", "ce_source", Headers.CE_TYPE),
                "properties", props);
    }

    private static Map<String, Object> deadLetterHeaders() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(Headers.DLQ_REASON, map("type", "string", "description", "Why the record was refused or given up"));
        props.put(Headers.DLQ_STAGE, map("type", "string", "description", "The stage that dead-lettered it"));
        props.put(Headers.DLQ_ORIGIN, map("type", "string", "description", "topic-partition@offset of the original"));
        props.put(Headers.DLQ_OMITTED, map("type", "string", "description", "What was left out to fit"));
        props.put(Headers.DLQ_ORIGINAL_BYTES, map("type", "string", "description", "Size of the original value"));
        props.put(Headers.DLQ_ORIGINAL_SHA256, map("type", "string", "description", "SHA-256 of the original value"));
        return map("type", "object", "required", List.of(Headers.DLQ_REASON, Headers.DLQ_STAGE, Headers.DLQ_ORIGIN),
                "properties", props);
    }

    /** A map in the order written (Map.of's order changes from one JVM run to the next). */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> ref(String target) {
        return map("$ref", target);
    }
}
