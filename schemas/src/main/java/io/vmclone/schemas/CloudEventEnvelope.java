package io.vmclone.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the CloudEvents spec (1.0) asks of an event's attributes, checked at every door before the SDK reads
 * it, so each refusal names the attribute: the required ones ({@code specversion}, {@code id}, {@code source},
 * {@code type}) present and non-empty; in structured mode, no key twice, every attribute of its type
 * (strings, {@code time} an RFC 3339 timestamp, extensions strings, numbers or booleans); in binary mode, no
 * attribute header twice. The optional ones ({@code time}, {@code subject}, {@code dataschema},
 * {@code datacontenttype}) may be absent.
 */
public final class CloudEventEnvelope {
    public static final List<String> REQUIRED = List.of("specversion", "id", "source", "type");
    private static final Set<String> STRING_ATTRIBUTES = Set.of("specversion", "id", "source", "type", "datacontenttype",
            "dataschema", "subject", "time");
    private static final Set<String> DATA = Set.of("data", "data_base64");

    private CloudEventEnvelope() {}

    /** A structured-mode event (the whole event as JSON); {@link InvalidEventException} naming what is wrong. */
    public static void checkStructured(byte[] body) {
        JsonNode event;
        try {
            event = StrictJson.read(body, "");
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? StrictJson.describe(j) : "unreadable";
            throw new InvalidEventException("body", "is not a CloudEvent: not valid JSON: " + why);
        }
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("body", "must be a JSON object (a structured CloudEvent)");
        }
        for (String name : REQUIRED) {
            JsonNode value = event.get(name);
            if (value == null || value.isNull()) {
                throw new InvalidEventException(name, "is required");
            }
        }
        var fields = event.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            checkAttribute(f.getKey(), f.getValue());
        }
    }

    private static void checkAttribute(String name, JsonNode value) {
        if (DATA.contains(name) || value.isNull()) {
            return; // data is the data schema's business; null is an absent optional attribute
        }
        if (STRING_ATTRIBUTES.contains(name)) {
            if (!value.isTextual()) {
                throw new InvalidEventException(name, "must be a string, got " + value.getNodeType().toString().toLowerCase());
            }
            if (REQUIRED.contains(name) && value.asText().isEmpty()) {
                throw new InvalidEventException(name, "may not be empty");
            }
            if (name.equals("time")) {
                checkTime(value.asText());
            }
        } else if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
            throw new InvalidEventException(name, "is an extension attribute: must be a string, number or boolean, got "
                    + value.getNodeType().toString().toLowerCase());
        }
    }

    /**
     * A binary-mode event's attributes ({@code ce_*} Kafka headers, {@code ce-*} HTTP headers), by attribute
     * name without the prefix, each with every value it was sent with.
     */
    public static void checkBinary(Map<String, List<String>> attributes) {
        attributes.forEach((name, values) -> {
            if (values.size() > 1) {
                throw new InvalidEventException(name, "appears more than once; duplicate attributes are refused");
            }
        });
        for (String name : REQUIRED) {
            List<String> values = attributes.get(name);
            if (values == null || values.isEmpty() || values.get(0) == null) {
                throw new InvalidEventException(name, "is required");
            }
            if (values.get(0).isEmpty()) {
                throw new InvalidEventException(name, "may not be empty");
            }
        }
        List<String> time = attributes.get("time");
        if (time != null && !time.isEmpty()) {
            checkTime(time.get(0));
        }
    }

    private static void checkTime(String time) {
        try {
            OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("time", "must be an RFC 3339 timestamp, got '" + OutcomeLimits.truncate(time, 64) + "'");
        }
    }
}
