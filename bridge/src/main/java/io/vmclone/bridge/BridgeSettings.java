package io.vmclone.bridge;

import io.vmclone.runtime.StageSettings;

/**
 * The bridge's own settings (see docs/intake.md).
 *
 * @param httpPort        the CloudEvents HTTP endpoint's port; 0 = any free port (tests), -1 = no endpoint
 * @param httpHost        the address it listens on: every interface by default (a pod), 127.0.0.1 in the sandbox
 * @param maxRequestBytes larger HTTP bodies are refused with 413 before they are read
 * @param replayLog       rebuild the set of already-requested clones from the event log at start, and follow the log
 *                        for the external requests any replica made (false: only this process's own are remembered)
 * @param rememberedRequests how many external requests the bridge remembers (the bound of its request ledger)
 * @param tokenAudiences  the audiences an HTTP caller's token must be for (TokenReview); default {@code vmclone}
 * @param door            the HTTP door's bounds against hostile clients, its TLS, and the review cache
 */
public record BridgeSettings(int httpPort, String httpHost, int maxRequestBytes, boolean replayLog, Leadership leadership,
                             int rememberedRequests, java.util.List<String> tokenAudiences, HttpDoor door) {
    /**
     * What the HTTP door does with slow, greedy and unauthenticated clients (docs/robustness.md), and how it is served.
     *
     * @param idleTimeout       a connection with nothing read or written for this long is closed, and so is one on
     *                          which no request's headers arrived whole within it (a trickle of header bytes)
     * @param requestTimeout    a request's whole body must arrive within this, counted from its headers: else 408 and
     *                          the connection is closed (a body that stalls, a chunked body that never ends)
     * @param clientConcurrency requests of one client (remote address; and, once authenticated, user) in progress at once
     * @param clientRate        requests of one client per second, sustained (token bucket)
     * @param clientBurst       requests of one client at once before the rate applies (the bucket's size)
     * @param tls               the certificate and key files; null = plain HTTP (only when {@code plain} was asked for)
     * @param reviewCacheTtl    how long a TokenReview's or SubjectAccessReview's positive answer is reused; zero = never
     * @param reviewCacheEntries how many answers of each kind are kept at most
     */
    public record HttpDoor(java.time.Duration idleTimeout, java.time.Duration requestTimeout, int clientConcurrency, int clientRate,
                           int clientBurst, Tls tls, java.time.Duration reviewCacheTtl, int reviewCacheEntries) {
        /** Defaults for a door built in code (tests): plain HTTP. */
        public static HttpDoor plainDefaults() {
            return new HttpDoor(java.time.Duration.ofMillis(DEFAULT_IDLE_TIMEOUT_MS), java.time.Duration.ofMillis(DEFAULT_REQUEST_TIMEOUT_MS),
                    DEFAULT_CLIENT_CONCURRENCY, DEFAULT_CLIENT_RATE, DEFAULT_CLIENT_BURST, null,
                    java.time.Duration.ofSeconds(DEFAULT_REVIEW_CACHE_SECONDS), DEFAULT_REVIEW_CACHE_ENTRIES);
        }
    }

    /** PEM files of the door's certificate (chain) and key, checked for a change every {@code reloadInterval}. */
    public record Tls(java.nio.file.Path certFile, java.nio.file.Path keyFile, java.time.Duration reloadInterval) {}

    /**
     * Leader election among bridge replicas for watching VirtualMachineClones.
     *
     * @param enabled   false: this bridge always watches (a single replica, the sandbox)
     * @param namespace where the Lease lives; null = the client's namespace (the pod's, in a cluster)
     */
    public record Leadership(boolean enabled, String namespace, String leaseName, java.time.Duration leaseDuration) {}

    public static final String ENV_LEADER_ELECTION = "VMCLONE_BRIDGE_LEADER_ELECTION";
    public static final String ENV_LEASE_NAMESPACE = "VMCLONE_BRIDGE_LEASE_NAMESPACE";
    public static final String ENV_LEASE_NAME = "VMCLONE_BRIDGE_LEASE_NAME";
    public static final String ENV_LEASE_SECONDS = "VMCLONE_BRIDGE_LEASE_SECONDS";
    public static final String DEFAULT_LEASE_NAME = "vmclone-bridge";

    public static final String ENV_HTTP_PORT = "VMCLONE_BRIDGE_HTTP_PORT";
    public static final String ENV_HTTP_HOST = "VMCLONE_BRIDGE_HTTP_HOST";
    public static final String ENV_TOKEN_AUDIENCES = "VMCLONE_BRIDGE_TOKEN_AUDIENCES";
    public static final String DEFAULT_TOKEN_AUDIENCE = "vmclone";
    public static final String ENV_MAX_REQUEST_BYTES = "VMCLONE_BRIDGE_MAX_REQUEST_BYTES";
    public static final String ENV_REQUEST_TIMEOUT_MS = "VMCLONE_BRIDGE_REQUEST_TIMEOUT_MS";
    public static final String ENV_IDLE_TIMEOUT_MS = "VMCLONE_BRIDGE_HTTP_IDLE_TIMEOUT_MS";
    public static final String ENV_CLIENT_CONCURRENCY = "VMCLONE_BRIDGE_HTTP_CLIENT_CONCURRENCY";
    public static final String ENV_CLIENT_RATE = "VMCLONE_BRIDGE_HTTP_CLIENT_RATE";
    public static final String ENV_CLIENT_BURST = "VMCLONE_BRIDGE_HTTP_CLIENT_BURST";
    public static final String ENV_TLS_CERT_FILE = "VMCLONE_BRIDGE_HTTP_TLS_CERT_FILE";
    public static final String ENV_TLS_KEY_FILE = "VMCLONE_BRIDGE_HTTP_TLS_KEY_FILE";
    public static final String ENV_TLS_RELOAD_SECONDS = "VMCLONE_BRIDGE_HTTP_TLS_RELOAD_SECONDS";
    public static final String ENV_PLAIN_HTTP = "VMCLONE_BRIDGE_HTTP_PLAIN";
    public static final String ENV_REVIEW_CACHE_SECONDS = "VMCLONE_BRIDGE_REVIEW_CACHE_SECONDS";
    public static final String ENV_REVIEW_CACHE_ENTRIES = "VMCLONE_BRIDGE_REVIEW_CACHE_ENTRIES";
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_CLIENT_CONCURRENCY = 8;
    public static final int DEFAULT_CLIENT_RATE = 20;
    public static final int DEFAULT_CLIENT_BURST = 40;
    public static final int DEFAULT_REVIEW_CACHE_SECONDS = 10;
    public static final int DEFAULT_REVIEW_CACHE_ENTRIES = 10_000;
    public static final String ENV_REPLAY_LOG = "VMCLONE_BRIDGE_REPLAY_LOG";
    public static final String ENV_REMEMBERED_REQUESTS = "VMCLONE_BRIDGE_REMEMBERED_REQUESTS";
    /** Kafka intake requester rules: see {@link io.vmclone.bridge.intake.IntakeTrust}. */
    public static final String ENV_INTAKE_TRUSTED_SOURCES = io.vmclone.bridge.intake.IntakeTrust.ENV_TRUSTED_SOURCES;
    public static final String ENV_INTAKE_REQUESTER_GROUPS = io.vmclone.bridge.intake.IntakeTrust.ENV_REQUESTER_GROUPS;
    public static final int DEFAULT_REMEMBERED_REQUESTS = 100_000;

    public static final int DEFAULT_HTTP_PORT = 8090;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;

    public static BridgeSettings from(StageSettings settings) {
        String namespace = settings.setting(ENV_LEASE_NAMESPACE, "");
        Leadership leadership = new Leadership(bool(settings, ENV_LEADER_ELECTION, "true"),
                namespace.isEmpty() ? null : namespace, settings.setting(ENV_LEASE_NAME, DEFAULT_LEASE_NAME),
                java.time.Duration.ofSeconds(settings.intSetting(ENV_LEASE_SECONDS, 15, 3, 300)));
        return new BridgeSettings(
                settings.intSetting(ENV_HTTP_PORT, DEFAULT_HTTP_PORT, -1, 65535),
                settings.setting(ENV_HTTP_HOST, "0.0.0.0"),
                settings.intSetting(ENV_MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES, 1024, 16 * 1024 * 1024),
                bool(settings, ENV_REPLAY_LOG, "true"), leadership,
                settings.intSetting(ENV_REMEMBERED_REQUESTS, DEFAULT_REMEMBERED_REQUESTS, 100, 10_000_000), audiences(settings),
                door(settings));
    }

    private static HttpDoor door(StageSettings settings) {
        return new HttpDoor(
                java.time.Duration.ofMillis(settings.intSetting(ENV_IDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, 100, 300_000)),
                java.time.Duration.ofMillis(settings.intSetting(ENV_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, 100, 300_000)),
                settings.intSetting(ENV_CLIENT_CONCURRENCY, DEFAULT_CLIENT_CONCURRENCY, 1, 1024),
                settings.intSetting(ENV_CLIENT_RATE, DEFAULT_CLIENT_RATE, 1, 100_000),
                settings.intSetting(ENV_CLIENT_BURST, DEFAULT_CLIENT_BURST, 1, 100_000),
                tls(settings),
                java.time.Duration.ofSeconds(settings.intSetting(ENV_REVIEW_CACHE_SECONDS, DEFAULT_REVIEW_CACHE_SECONDS, 0, 300)),
                settings.intSetting(ENV_REVIEW_CACHE_ENTRIES, DEFAULT_REVIEW_CACHE_ENTRIES, 1, 1_000_000));
    }

    /**
     * TLS unless plain HTTP is asked for by name: a bearer token must not cross the network in clear by accident.
     * Both files, or {@value #ENV_PLAIN_HTTP}{@code =true}, or neither: then the bridge does not start, naming the
     * variables (only when the door is on at all).
     */
    private static Tls tls(StageSettings settings) {
        String cert = settings.setting(ENV_TLS_CERT_FILE, "").trim();
        String key = settings.setting(ENV_TLS_KEY_FILE, "").trim();
        boolean plain = bool(settings, ENV_PLAIN_HTTP, "false");
        int port = settings.intSetting(ENV_HTTP_PORT, DEFAULT_HTTP_PORT, -1, 65535);
        java.time.Duration reload = java.time.Duration.ofSeconds(settings.intSetting(ENV_TLS_RELOAD_SECONDS, 10, 1, 3600));
        if (cert.isEmpty() != key.isEmpty()) {
            throw new IllegalArgumentException(ENV_TLS_CERT_FILE + " and " + ENV_TLS_KEY_FILE + " must be set together");
        }
        if (!cert.isEmpty() && plain) {
            throw new IllegalArgumentException(ENV_PLAIN_HTTP + "=true and " + ENV_TLS_CERT_FILE
                    + " contradict each other: set one of them");
        }
        if (cert.isEmpty()) {
            if (!plain && port >= 0) {
                throw new IllegalArgumentException("the HTTP door needs TLS: set " + ENV_TLS_CERT_FILE + " and " + ENV_TLS_KEY_FILE
                        + " (PEM), or " + ENV_PLAIN_HTTP + "=true for plain HTTP behind a TLS-terminating proxy or mesh, or "
                        + ENV_HTTP_PORT + "=-1 for no door");
            }
            return null;
        }
        return new Tls(java.nio.file.Path.of(cert), java.nio.file.Path.of(key), reload);
    }

    /** Whom Kafka intake requests may act for ({@value #ENV_INTAKE_TRUSTED_SOURCES}, {@value #ENV_INTAKE_REQUESTER_GROUPS}). */
    public static io.vmclone.bridge.intake.IntakeTrust intakeTrust(StageSettings settings) {
        return io.vmclone.bridge.intake.IntakeTrust.parse(settings.setting(ENV_INTAKE_TRUSTED_SOURCES, ""),
                settings.setting(ENV_INTAKE_REQUESTER_GROUPS, ""));
    }

    private static java.util.List<String> audiences(StageSettings settings) {
        java.util.List<String> list = java.util.Arrays.stream(settings.setting(ENV_TOKEN_AUDIENCES, DEFAULT_TOKEN_AUDIENCE).split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException(ENV_TOKEN_AUDIENCES + " must name at least one audience");
        }
        return list;
    }

    private static boolean bool(StageSettings settings, String name, String fallback) {
        String value = settings.setting(name, fallback);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}
