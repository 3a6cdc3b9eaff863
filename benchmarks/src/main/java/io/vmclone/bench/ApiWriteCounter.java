package io.vmclone.bench;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vmclone.testsupport.MockCluster;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts writes (POST/PUT/PATCH/DELETE) on the mock API server by who made them and what they wrote.
 * The mock server records every request in a queue; this drains it on its own thread (so the log
 * does not grow with the run) and keys each write as {@code <actor> <METHOD> <resource>[/status]}, the
 * actor being the {@value #ACTOR_HEADER} header each client of the driver sends, or for a service run as a
 * process of its own (whose client cannot be given a header) the bearer token of its kubeconfig,
 * {@link #token}.
 */
public final class ApiWriteCounter implements RequestCounter {
    public static final String ACTOR_HEADER = "X-Vmclone-Bench-Actor";
    private static final String TOKEN_PREFIX = "bench-";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final MockCluster cluster;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Thread drainer;
    private volatile boolean running = true;

    public ApiWriteCounter(MockCluster cluster) {
        this.cluster = cluster;
        this.drainer = new Thread(this::drain, "api-write-counter");
        drainer.setDaemon(true);
        drainer.start();
    }

    private void drain() {
        while (running) {
            try {
                RecordedRequest request = cluster.server().takeRequest(100, TimeUnit.MILLISECONDS);
                if (request != null) {
                    record(request);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void record(RecordedRequest request) {
        String method = request.getMethod();
        String key = actor(request.getHeader(ACTOR_HEADER), request.getHeader("Authorization")) + " "
                + (WRITES.contains(method) ? method + " " + resource(request.getPath()) : "reads");
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** The bearer token that makes {@code actor}'s requests count as its own. */
    public static String token(String actor) {
        return TOKEN_PREFIX + actor;
    }

    static String actor(String actorHeader, String authorization) {
        if (actorHeader != null) {
            return actorHeader;
        }
        String bearer = "Bearer " + TOKEN_PREFIX;
        return authorization != null && authorization.startsWith(bearer) ? authorization.substring(bearer.length()) : "unknown";
    }

    /** {@code /apis/kubevirt.io/v1/namespaces/x/virtualmachines/vm/status?y} → {@code virtualmachines/status}. */
    static String resource(String path) {
        String p = path == null ? "" : path.split("\\?", 2)[0];
        String[] parts = p.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("namespaces") && i + 2 < parts.length) {
                String kind = parts[i + 2];
                boolean status = parts.length > i + 4 && parts[i + 4].equals("status");
                return status ? kind + "/status" : kind;
            }
        }
        return parts.length == 0 ? p : parts[parts.length - 1];
    }

    /** Waits until every request made so far has been counted, then returns the counts. */
    @Override
    public Map<String, Long> snapshot() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cluster.server().getRequestCount() > total() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** {@code after - before}, per key. */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    @Override
    public void close() {
        running = false;
        drainer.interrupt();
    }
}
