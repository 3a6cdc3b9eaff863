package io.vmclone.bridge;

import io.vmclone.runtime.StageSettings;
import java.util.Map;

/**
 * The bridge's own settings (see docs/intake.md).
 *
 * @param httpPort        the CloudEvents HTTP endpoint's port; 0 = any free port (tests), -1 = no endpoint
 * @param maxRequestBytes larger HTTP bodies are refused with 413 before they are read
 * @param replayLog       rebuild the set of already-requested clones from the event log at start
 */
public record BridgeSettings(int httpPort, int maxRequestBytes, boolean replayLog) {
    public static final String ENV_HTTP_PORT = "VMCLONE_BRIDGE_HTTP_PORT";
    public static final String ENV_MAX_REQUEST_BYTES = "VMCLONE_BRIDGE_MAX_REQUEST_BYTES";
    public static final String ENV_REQUEST_TIMEOUT_MS = "VMCLONE_BRIDGE_REQUEST_TIMEOUT_MS";
    public static final String ENV_REPLAY_LOG = "VMCLONE_BRIDGE_REPLAY_LOG";

    public static final int DEFAULT_HTTP_PORT = 8090;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;

    public static BridgeSettings from(StageSettings settings) {
        String replay = settings.setting(ENV_REPLAY_LOG, "true");
        if (!replay.equals("true") && !replay.equals("false")) {
            throw new IllegalArgumentException(ENV_REPLAY_LOG + " must be true or false, got '" + replay + "'");
        }
        return new BridgeSettings(
                settings.intSetting(ENV_HTTP_PORT, DEFAULT_HTTP_PORT, -1, 65535),
                settings.intSetting(ENV_MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES, 1024, 16 * 1024 * 1024),
                Boolean.parseBoolean(replay));
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
