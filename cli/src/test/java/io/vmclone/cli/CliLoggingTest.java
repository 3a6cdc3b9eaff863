package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as bin/vmclone runs it (target/classes and the runtime class path of target/classpath.txt, in its own JVM)
 * logs JSON lines with ISO-8601 UTC timestamps on stderr, and no test logging configuration is on that class path.
 */
class CliLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISO_MILLIS_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    private static List<Path> runtimeClassPath() throws Exception {
        Path cpFile = Path.of("target", "classpath.txt");
        assertThat(cpFile).as("written by maven-dependency-plugin before the tests").exists();
        List<Path> cp = new ArrayList<>(List.of(Path.of("target", "classes").toAbsolutePath()));
        for (String entry : Files.readString(cpFile).strip().split(File.pathSeparator)) {
            cp.add(Path.of(entry));
        }
        return cp;
    }

    @Test
    void noLogbackTestConfigurationIsOnTheCliRuntimeClassPath() throws Exception {
        List<String> found = new ArrayList<>();
        for (Path entry : runtimeClassPath()) {
            for (String name : List.of("logback-test.xml", "logback-test.scmo")) {
                if (Files.isDirectory(entry) ? Files.exists(entry.resolve(name)) : inJar(entry, name)) {
                    found.add(entry + "!" + name);
                }
            }
        }
        assertThat(found).isEmpty();
        // test-support (the sandbox needs it) is there, with its test logging under a name logback never looks up.
        assertThat(runtimeClassPath()).anySatisfy(p -> assertThat(p.toString()).contains("test-support"));
    }

    @Test
    void theCliLogsJsonLinesWithIsoTimestampsOnStderr(@TempDir Path dir) throws Exception {
        // A cluster that refuses connections: fabric8 logs at DEBUG while it reads the kubeconfig, then the command fails.
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
                current-context: x
                """);
        String cp = String.join(File.pathSeparator, runtimeClassPath().stream().map(Path::toString).toList());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", cp, Vmclone.class.getName(), "list", "--kubeconfig", kubeconfig.toString());
        pb.environment().put("VMCLONE_CLI_LOG_LEVEL", "DEBUG");
        pb.environment().remove("KUBECONFIG");
        Path err = dir.resolve("stderr");
        pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("vmclone list ended").isTrue();
        assertThat(p.exitValue()).isEqualTo(Vmclone.FAILED);

        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        List<JsonNode> logs = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("{")) {
                logs.add(JSON.readTree(line));
            } else {
                // Everything else is the command's own message (error: ...), never a text-formatted log line.
                assertThat(line).as("stderr line").doesNotMatch("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} .*");
            }
        }
        assertThat(logs).as("JSON log lines on stderr:%n%s", String.join("\n", lines)).isNotEmpty();
        for (JsonNode log : logs) {
            assertThat(log.path("timestamp").asText()).matches(ISO_MILLIS_UTC);
            assertThat(log.fieldNames().next()).isEqualTo("timestamp");
            assertThat(log.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(log.path("loggerName").asText()).isNotBlank();
            assertThat(log.has("formattedMessage")).isTrue();
        }
        assertThat(lines).anyMatch(l -> l.startsWith("error: "));
    }

    private static boolean inJar(Path jar, String name) throws Exception {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(name) != null;
        }
    }
}
