package io.vmclone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads YAML or JSON manifest files ({@code ---}-separated documents; a {@code List} kind is flattened). */
final class ManifestFiles {
    static final String STDIN = "-";

    private ManifestFiles() {}

    /** {@code -} reads standard input, as {@code kubectl apply -f -}. */
    static List<ObjectNode> read(Path file) {
        String text;
        try {
            text = STDIN.equals(file.toString()) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<ObjectNode> out = new ArrayList<>();
        try (var parser = Json.YAML.getFactory().createParser(text)) {
            var docs = Json.YAML.readValues(parser, JsonNode.class);
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new UsageException(file + ": every document must be a Kubernetes object");
                }
                if (doc.path("kind").asText("").endsWith("List") && doc.path("items").isArray()) {
                    doc.path("items").forEach(i -> out.add((ObjectNode) i));
                } else {
                    out.add((ObjectNode) doc);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UsageException u) {
                throw u;
            }
            throw new UsageException(file + ": not valid YAML/JSON: " + Vmclone.describe(e), e);
        }
        if (out.isEmpty()) {
            throw new UsageException(file + ": no manifest in it");
        }
        return out;
    }
}
