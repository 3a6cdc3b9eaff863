package io.vmclone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link RequestCounter} for the real API server: reads kube-apiserver's audit log (JSON lines, level Metadata),
 * where every request carries the authenticated user, so each service's requests are its ServiceAccount's.
 * A request counts once: at {@code ResponseComplete}, or at {@code ResponseStarted} for a watch (which completes
 * only when it ends).
 */
final class AuditLogCounter implements RequestCounter {
    /** The audit policy this counter needs: every request at Metadata level. */
    static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
              - level: Metadata
            """;
    private static final String SERVICE_ACCOUNT = "system:serviceaccount:";
    private static final Map<String, String> WRITES = Map.of("create", "POST", "update", "PUT", "patch", "PATCH", "delete", "DELETE",
            "deletecollection", "DELETE");
    private static final Set<String> READS = Set.of("get", "list", "watch");

    private final Path log;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private long offset;
    private final StringBuilder partial = new StringBuilder();

    AuditLogCounter(Path log) {
        this.log = log;
    }

    @Override
    public synchronized Map<String, Long> snapshot() {
        readNewLines();
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private void readNewLines() {
        if (!Files.exists(log)) {
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length < offset) {
                offset = 0; // rotated
            }
            byte[] chunk = new byte[(int) Math.min(length - offset, 64L << 20)];
            file.seek(offset);
            file.readFully(chunk);
            offset += chunk.length;
            partial.append(new String(chunk, StandardCharsets.UTF_8));
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
                count(partial.substring(0, end));
                partial.delete(0, end + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the audit log " + log, e);
        }
    }

    private void count(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            JsonNode event = Json.MAPPER.readTree(line);
            String verb = event.path("verb").asText();
            String stage = event.path("stage").asText();
            if (!stage.equals(verb.equals("watch") ? "ResponseStarted" : "ResponseComplete")) {
                return;
            }
            String key = actor(event.path("user").path("username").asText()) + " " + what(verb, event.path("objectRef"));
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        } catch (IOException e) {
            // a line cut by rotation: not worth failing the run for
        }
    }

    /** {@code system:serviceaccount:vmclone:vmclone-planner} → {@code planner}; {@code ...:bench-driver} → {@code driver}. */
    static String actor(String user) {
        if (!user.startsWith(SERVICE_ACCOUNT)) {
            return user.startsWith("system:") ? "kubernetes" : "admin";
        }
        String name = user.substring(user.lastIndexOf(':') + 1);
        return name.replaceFirst("^(vmclone|bench)-", "");
    }

    static String what(String verb, JsonNode objectRef) {
        if (READS.contains(verb)) {
            return "reads";
        }
        String method = WRITES.getOrDefault(verb, verb.toUpperCase(java.util.Locale.ROOT));
        String resource = objectRef.path("resource").asText("?");
        String sub = objectRef.path("subresource").asText("");
        return method + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
    }

    @Override
    public void close() {}
}
