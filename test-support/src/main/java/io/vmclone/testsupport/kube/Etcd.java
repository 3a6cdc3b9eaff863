package io.vmclone.testsupport.kube;

import io.vmclone.testsupport.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One etcd member on 127.0.0.1 (kube-api-test's own etcd listens on every interface, which a sandbox left
 * running must not do: etcd has no authentication here). Data in {@code dataDir}; fsync off, since a test
 * cluster's data need not survive a power cut.
 */
final class Etcd implements AutoCloseable {
    private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"?(\\d+)");

    private final Process process;
    private final int clientPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Etcd(Process process, int clientPort) {
        this.process = process;
        this.clientPort = clientPort;
    }

    static Etcd start(Path binary, Path dataDir, Path log, Duration timeout) {
        int clientPort = Ports.freeLoopbackPort();
        int peerPort = Ports.freeLoopbackPort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        try {
            Files.createDirectories(dataDir);
            Process process = new ProcessBuilder(List.of(binary.toString(),
                    "--name", "default",
                    "--data-dir", dataDir.toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "default=" + peer,
                    "--unsafe-no-fsync", "--log-level", "warn"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Etcd etcd = new Etcd(process, clientPort);
            etcd.awaitHealthy(timeout, log);
            return etcd;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start etcd " + binary, e);
        }
    }

    /** What kube-apiserver's {@code --etcd-servers} takes. */
    String url() {
        return "http://127.0.0.1:" + clientPort;
    }

    int port() {
        return clientPort;
    }

    /**
     * Compacts etcd's history up to its current revision and defragments nothing: a watch resumed from any
     * older resourceVersion (that etcd serves) then gets 410 Gone. Returns the revision compacted to.
     */
    long compact() {
        long revision = revision();
        post("/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
        return revision;
    }

    /** etcd's current revision (what a Kubernetes resourceVersion counts). */
    long revision() {
        String body = post("/v3/kv/range", "{\"key\":\"AA==\"}");
        Matcher m = REVISION.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("etcd answered no revision: " + body);
        }
        return Long.parseLong(m.group(1));
    }

    private String post(String path, String json) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("etcd " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("etcd " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitHealthy(Duration timeout, Path log) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("true")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause();
        }
        throw new IllegalStateException("etcd not healthy after " + timeout + "; see " + log);
    }

    static void pause() {
        try {
            Thread.sleep(50); // polling a child process we started, not waiting for the code under test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
