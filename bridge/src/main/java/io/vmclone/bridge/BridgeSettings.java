package io.vmclone.bridge;

import io.vmclone.runtime.StageSettings;
import java.util.Map;

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
 */
public record BridgeSettings(int httpPort, String httpHost, int maxRequestBytes, boolean replayLog, Leadership leadership,
                             int rememberedRequests, java.util.List<String> tokenAudiences) {
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
                settings.intSetting(ENV_REMEMBERED_REQUESTS, DEFAULT_REMEMBERED_REQUESTS, 100, 10_000_000), audiences(settings));
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

    /**
     * How long one HTTP exchange may take ({@value #ENV_REQUEST_TIMEOUT_MS}, ms, default 10000), as the JDK HTTP
     * server's read/write limits in whole seconds (rounded up). They are JVM-wide system properties read once,
     * so {@link BridgeMain} sets them before any server starts.
     */
    public static long requestTimeoutSeconds(Map<String, String> env) {
        String raw = env.get(ENV_REQUEST_TIMEOUT_MS);
        long ms;
        try {
            ms = raw == null || raw.isBlank() ? 10_000 : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_REQUEST_TIMEOUT_MS + " must be a whole number, got '" + raw + "'");
        }
        if (ms < 100 || ms > 300_000) {
            throw new IllegalArgumentException(ENV_REQUEST_TIMEOUT_MS + " must be between 100 and 300000, got " + ms);
        }
        return (ms + 999) / 1000;
    }
}
