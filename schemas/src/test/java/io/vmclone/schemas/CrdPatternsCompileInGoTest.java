package io.vmclone.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kube-apiserver refuses a whole CRD when one schema {@code pattern} does not compile under Go's regexp (RE2: no
 * backreferences, no lookaround), and neither in-memory API checks it. Every CRD in the repository, shipped or
 * test stand-in, is read here and each pattern compiled with RE2/J, which has Go's syntax.
 */
class CrdPatternsCompileInGoTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyCrdPatternInTheRepositoryCompilesUnderRe2() throws IOException {
        List<String> checked = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Path file : crdFiles()) {
            for (JsonNode crd : documents(file)) {
                if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
                    continue;
                }
                collectPatterns(crd, "").forEach((where, pattern) -> {
                    checked.add(file + " " + where);
                    try {
                        Pattern.compile(pattern);
                    } catch (PatternSyntaxException e) {
                        refused.add(file + " " + where + ": " + pattern + " (" + e.getDescription() + ")");
                    }
                });
            }
        }
        assertThat(checked).as("the shipped CRD's patterns were found").anyMatch(s -> s.contains("newMacAddresses"));
        assertThat(refused).as("patterns Go's regexp cannot compile").isEmpty();
    }

    @Test
    void re2RefusesWhatGoRefuses() {
        // the check above is only worth something if RE2/J refuses what kube-apiserver refused
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pattern.compile("^([:-])x\\1$"))
                .isInstanceOf(PatternSyntaxException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pattern.compile("^(?!kube-).*$"))
                .isInstanceOf(PatternSyntaxException.class);
    }

    private static List<Path> crdFiles() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains("CustomResourceDefinition");
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .toList();
        }
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static Map<String, String> collectPatterns(JsonNode node, String path) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if ("pattern".equals(e.getKey()) && e.getValue().isTextual()) {
                    out.put(path, e.getValue().asText());
                } else {
                    out.putAll(collectPatterns(e.getValue(), path + "/" + e.getKey()));
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.putAll(collectPatterns(node.get(i), path + "/" + i));
            }
        }
        return out;
    }
}
