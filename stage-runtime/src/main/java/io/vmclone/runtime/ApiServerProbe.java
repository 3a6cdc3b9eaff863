package io.vmclone.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Whether the API server answers, by {@code GET /version} (allowed to every authenticated identity, so it
 * needs no RBAC), remembered for a few seconds so that frequent readiness probes cost one call.
 */
public final class ApiServerProbe implements BooleanSupplier {
    public static final Duration DEFAULT_CACHE = Duration.ofSeconds(5);

    private final BooleanSupplier call;
    private final Clock clock;
    private final long cacheMillis;
    private long checkedAt = Long.MIN_VALUE;
    private boolean last;

    public ApiServerProbe(BooleanSupplier call, Clock clock, Duration cache) {
        this.call = call;
        this.clock = clock;
        this.cacheMillis = cache.toMillis();
    }

    public static ApiServerProbe of(KubernetesClient kube) {
        return new ApiServerProbe(() -> {
            try {
                return kube.getKubernetesVersion() != null;
            } catch (RuntimeException e) {
                return false;
            }
        }, Clock.systemUTC(), DEFAULT_CACHE);
    }

    @Override
    public synchronized boolean getAsBoolean() {
        long now = clock.millis();
        if (checkedAt == Long.MIN_VALUE || now - checkedAt >= cacheMillis) {
            last = call.getAsBoolean();
            checkedAt = now;
        }
        return last;
    }
}
