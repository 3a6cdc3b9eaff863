package io.vmclone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * kubectl's {@code -o}: {@code yaml} and {@code json} print the resources as the API server returned them (a
 * {@code List} for several, as {@code kubectl get -o yaml}), {@code name} prints {@code kind.group/name}, {@code wide}
 * the table with more columns; unset, the command's own table or summary.
 */
public final class ResourceOutput {
    enum Format { yaml, json, name, wide }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "yaml, json, name or wide (default: a readable table or summary).")
    Format format;

    boolean readable() {
        return format == null || format == Format.wide;
    }

    boolean wide() {
        return format == Format.wide;
    }

    /** One resource, as {@code -o} asked (not called for the readable formats). */
    String one(GenericKubernetesResource resource) {
        return format == Format.name ? name(resource) + "\n" : serialize(resource);
    }

    /** Several resources, as {@code -o} asked (not called for the readable formats). */
    String many(List<GenericKubernetesResource> resources) {
        if (format == Format.name) {
            StringBuilder sb = new StringBuilder();
            resources.forEach(r -> sb.append(name(r)).append('\n'));
            return sb.toString();
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.put("items", resources);
        list.put("metadata", Map.of("resourceVersion", ""));
        return serialize(list);
    }

    /** kubectl's {@code -o name}: the lower-case kind, the group, the name. */
    static String name(GenericKubernetesResource r) {
        String apiVersion = r.getApiVersion() == null ? "" : r.getApiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : "." + apiVersion.substring(0, slash);
        return r.getKind().toLowerCase(java.util.Locale.ROOT) + group + "/" + r.getMetadata().getName();
    }

    private String serialize(Object value) {
        try {
            return format == Format.json ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n"
                    : CliYaml.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print the resource: " + e.getOriginalMessage(), e);
        }
    }
}
