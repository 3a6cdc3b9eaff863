package io.vmclone.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of every event's {@code data}, loaded from the classpath ({@code schemas/events/v1/*.json},
 * resolved through their {@code https://vmclone.io/schemas/} ids).
 */
public final class EventSchemas {
    /** A schema violation: a field path in dotted form ({@code data.clone.name}) and what is wrong. */
    public record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final Map<EventType, Schema> schemas = new EnumMap<>(EventType.class);

    public EventSchemas() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaIdResolvers(r -> r.mapPrefix("https://vmclone.io/schemas/", "classpath:schemas/")));
        for (EventType type : EventType.values()) {
            schemas.put(type, registry.getSchema(SchemaLocation.of(type.dataschema().toString())));
        }
    }

    /** Violations of {@code type}'s data schema, empty when {@code data} is valid. */
    public List<Violation> validate(EventType type, JsonNode data) {
        List<com.networknt.schema.Error> errors = schemas.get(type).validate(data);
        return errors.stream().map(e -> new Violation(fieldOf(e), e.getMessage())).toList();
    }

    private static String fieldOf(com.networknt.schema.Error e) {
        // The instance location is a JSON Pointer ("/clone/name", "/deleted/0"); we report "data.clone.name",
        // "data.deleted[0]". A missing required property is reported on its parent, so append its name.
        StringBuilder field = new StringBuilder("data");
        String pointer = e.getInstanceLocation().toString();
        for (String part : pointer.split("/")) {
            if (part.isEmpty() || part.equals("$")) {
                continue;
            }
            String token = part.replace("~1", "/").replace("~0", "~");
            field.append(token.chars().allMatch(Character::isDigit) ? "[" + token + "]" : "." + token);
        }
        if ("required".equals(e.getKeyword()) && e.getProperty() != null) {
            field.append('.').append(e.getProperty());
        }
        return field.toString();
    }
}
