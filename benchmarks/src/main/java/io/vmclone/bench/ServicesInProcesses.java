package io.vmclone.bench;

import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.StageSettings;
import io.vmclone.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --services=processes}: each service in a JVM of its own ({@code *Main}, as in a pod), against the
 * driver's broker and mock API server, so its memory can be read from {@code /proc/<pid>/status}. Readiness
 * and metrics come from each service's health port.
 */
final class ServicesInProcesses implements Services {
    /**
     * A heap with room for a service under load; the serial GC because four JVMs, the broker and the API server
     * share the machine's cores (a parallel collector would start a GC thread per core in each).
     */
    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    private final Map<String, ServiceProcess> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path logDir;

    private ServicesInProcesses(Path logDir) {
        this.logDir = logDir;
    }

    /** @param env the settings shared by all services (broker, topics, groups) */
    static ServicesInProcesses start(Map<String, String> env, LoadApi api, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        ServicesInProcesses services = new ServicesInProcesses(logDir);
        try {
            for (var main : LocalPipeline.mains().entrySet()) {
                String name = main.getKey();
                Map<String, String> own = new HashMap<>(env);
                Path kubeconfig = api.kubeconfig(name, logDir.resolve(name + ".kubeconfig"));
                own.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
                int port = freePort();
                own.put(StageSettings.ENV_HTTP_PORT, Integer.toString(port));
                own.put("HOME", System.getProperty("user.home"));
                ServiceProcess process = new ServiceProcess(name, main.getValue().getName(), JVM_OPTIONS, own, logDir);
                services.processes.put(name, process);
                services.ports.put(name, port);
                process.start();
            }
        } catch (IOException | RuntimeException e) {
            services.close();
            throw e;
        }
        return services;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code /readyz} of every service answers 200; fails at once if one has exited (it would never be ready). */
    @Override
    public boolean ready() {
        stopped().ifPresent(why -> {
            throw new IllegalStateException("a service stopped while starting: " + why);
        });
        return processes.keySet().stream().allMatch(name -> get(name, "/readyz").map(r -> r.statusCode() == 200).orElse(false));
    }

    @Override
    public Optional<String> stopped() {
        return processes.values().stream().filter(p -> !p.alive()).findFirst()
                .map(p -> p.service() + " exited (its log: " + p.log().toAbsolutePath() + ")");
    }

    /** Each service's {@code /metrics}; empty text for one that does not answer. */
    @Override
    public Map<String, String> metrics() {
        Map<String, String> out = new LinkedHashMap<>();
        processes.keySet().forEach(name -> out.put(name, get(name, "/metrics").map(HttpResponse::body).orElse("")));
        return out;
    }

    private Optional<HttpResponse<String>> get(String service, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + ports.get(service) + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty(); // not listening yet, or gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        processes.forEach((name, p) -> out.put(name, p.pid()));
        return out;
    }

    @Override
    public String describe() {
        return "a JVM each (" + String.join(" ", JVM_OPTIONS) + "), logs in " + logDir.toAbsolutePath();
    }

    /** Stops the services in reverse pipeline order, as LocalPipeline does, each cleanly (SIGTERM) if it can. */
    @Override
    public void close() {
        List<ServiceProcess> reverse = new ArrayList<>(processes.values());
        Collections.reverse(reverse);
        for (ServiceProcess p : reverse) {
            try {
                p.stop();
            } catch (InterruptedException e) {
                // SIGTERM was sent; ServiceProcess's shutdown hook kills whatever is left when this JVM exits.
                Thread.currentThread().interrupt();
            }
        }
        System.out.println("service processes stopped; their logs are in " + logDir.toAbsolutePath());
    }
}
