package io.vmclone.executor;

import io.vmclone.runtime.Backoff;
import io.vmclone.runtime.Failures;
import io.vmclone.runtime.TransientFailure;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kubernetes API call, retrying transient failures (5xx, 429, timeouts, connection errors:
 * {@link Failures#isTransient}) with capped exponential backoff and jitter. Anything else is thrown as is.
 */
final class ApiRetry {
    private static final Logger log = LoggerFactory.getLogger(ApiRetry.class);

    private final int attempts;
    private final Backoff backoff;

    ApiRetry(int attempts, Backoff backoff) {
        this.attempts = attempts;
        this.backoff = backoff;
    }

    int attempts() {
        return attempts;
    }

    <T> T call(String what, Supplier<T> call) throws TransientFailure {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!Failures.isTransient(e)) {
                    throw e;
                }
                if (attempt >= attempts) {
                    throw new TransientFailure(what + " failed " + attempt + " time(s): " + Failures.describe(e), e);
                }
                log.warn("{} failed (attempt {}/{}), retrying: {}", what, attempt, attempts, Failures.describe(e));
                if (!backoff.pause(attempt)) {
                    throw new TransientFailure(what + " interrupted while retrying", e);
                }
            }
        }
    }
}
