package io.vmclone.runtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base·2ⁿ)]. */
public record Backoff(Duration base, Duration cap) {
    public static Backoff standard(Duration cap) {
        return new Backoff(Duration.ofMillis(100), cap);
    }

    public Duration delay(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /** Waits before retry {@code attempt}; false if interrupted (the caller should stop). */
    public boolean pause(int attempt) {
        try {
            Thread.sleep(delay(attempt).toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
