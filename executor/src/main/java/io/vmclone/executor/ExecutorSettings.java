package io.vmclone.executor;

import io.vmclone.runtime.Backoff;
import io.vmclone.runtime.StageSettings;
import java.time.Duration;

/**
 * The executor's own settings (docs/configuration.md, docs/executor.md).
 *
 * @param stallTimeout how long a clone may show no DataVolume change at all before it fails as {@code Stalled}
 * @param apiAttempts  attempts per Kubernetes API call on transient errors (5xx, 429, timeouts) and 409 re-reads
 * @param backoff      the wait between those attempts (capped exponential, jittered)
 */
public record ExecutorSettings(Duration stallTimeout, int apiAttempts, Backoff backoff) {
    public static final String ENV_STALL_TIMEOUT = "VMCLONE_EXECUTOR_STALL_TIMEOUT_SECONDS";
    public static final String ENV_API_ATTEMPTS = "VMCLONE_EXECUTOR_API_ATTEMPTS";
    /** One hour: smart (snapshot) clones report {@code N/A} for long stretches, but they do change phase. */
    public static final int DEFAULT_STALL_TIMEOUT_SECONDS = 3600;
    public static final int DEFAULT_API_ATTEMPTS = 6;

    public static ExecutorSettings from(StageSettings settings) {
        return new ExecutorSettings(
                Duration.ofSeconds(settings.intSetting(ENV_STALL_TIMEOUT, DEFAULT_STALL_TIMEOUT_SECONDS, 1, 7 * 24 * 3600)),
                settings.intSetting(ENV_API_ATTEMPTS, DEFAULT_API_ATTEMPTS, 1, 100),
                Backoff.standard(settings.maxBackoff()));
    }
}
