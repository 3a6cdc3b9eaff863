package io.vmclone.cli.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/asyncapi.yaml is what the contracts say, and every reference in it leads somewhere. */
class AsyncApiDocumentTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Path FILE = DOCS.resolve("asyncapi.yaml");
    static final String VERSION = "1.0.0";

    @Test
    void theCheckedInDocumentIsTheGeneratedOne() throws Exception {
        String generated = AsyncApiDocument.yaml(VERSION);
        if (Boolean.getBoolean("vmclone.asyncapi.write")) {
            Files.writeString(FILE, generated);
        }
        assertThat(Files.readString(FILE)).as("docs/asyncapi.yaml is stale: regenerate it (command at its top)").isEqualTo(generated);
    }

    @Test
    void everyEventTypeIsAMessageWithItsTypeAndSchemaOnOneChannel() throws Exception {
        JsonNode doc = Json.YAML.readTree(AsyncApiDocument.yaml(VERSION));
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        for (EventType t : EventType.values()) {
            JsonNode m = doc.path("components").path("messages").path(t.slug());
            assertThat(m.path("headers").path("properties").path("ce_type").path("const").asText()).isEqualTo(t.type());
            Path schema = DOCS.resolve(m.path("payload").path("schema").path("$ref").asText());
            assertThat(schema).as(t.slug()).exists();
            assertThat(Json.MAPPER.readTree(schema.toFile()).path("$id").asText()).isEqualTo(t.dataschema().toString());
            long onChannels = List.of("intake", "events").stream()
                    .filter(c -> doc.path("channels").path(c).path("messages").has(t.slug())).count();
            assertThat(onChannels).as(t.slug() + " is on exactly one Kafka channel").isEqualTo(1);
        }
    }

    @Test
    void everyLocalReferenceResolvesAndOperationsSendOrReceive() throws Exception {
        JsonNode doc = Json.YAML.readTree(AsyncApiDocument.yaml(VERSION));
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            if (ref.startsWith("#/")) {
                assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
            } else {
                assertThat(DOCS.resolve(ref)).as(ref).exists();
            }
        }
        doc.path("operations").forEach(op -> assertThat(Set.of("send", "receive")).contains(op.path("action").asText()));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
