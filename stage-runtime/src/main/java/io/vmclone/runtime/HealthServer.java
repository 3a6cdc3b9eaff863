package io.vmclone.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (alive: the stage loop runs), {@code /readyz} (consuming with partitions assigned and the API
 * server answering; see {@link StageService}) and {@code /metrics} (Prometheus text format).
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    public HealthServer(int port, BooleanSupplier alive, BooleanSupplier ready, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/healthz", ex -> probe(ex, alive.getAsBoolean(), "ok\n", "stopped\n"));
        server.createContext("/readyz", ex -> probe(ex, ready.getAsBoolean(), "ready\n", "not ready\n"));
        server.createContext("/metrics", ex -> answer(ex, 200, registry.scrape()));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange ex, boolean ok, String yes, String no) throws IOException {
        answer(ex, ok ? 200 : 503, ok ? yes : no); // evaluated once, so code and body agree
    }

    private static void answer(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
