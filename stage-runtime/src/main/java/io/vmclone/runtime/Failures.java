package io.vmclone.runtime;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Which failures are worth retrying. */
public final class Failures {
    private Failures() {}

    /** 5xx, 429, timeouts and connection failures (fabric8 reports those with no HTTP code) are transient. */
    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TransientFailure || c instanceof IOException || c instanceof TimeoutException) {
                return true;
            }
            if (c instanceof KubernetesClientException k) {
                int code = k.getCode();
                if (code <= 0 || code == 429 || code >= 500) {
                    return true; // no HTTP answer at all (timeout, connection refused), throttled, or server error
                }
                return false;
            }
        }
        return false;
    }

    /**
     * What a task run on another thread failed with, as if it had run here: an {@link Error} is thrown at
     * once (it ends the stage), a runtime exception is returned as it was (a KubernetesClientException keeps
     * its code for {@link #isTransient}), anything else is wrapped with its cause kept.
     */
    public static RuntimeException unwrap(java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Error error) {
            throw error;
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    /** The reason a stage gives when it gives up on a clone because of {@code t} (a Reasons constant). */
    public static String giveUpReason(Throwable t) {
        return t instanceof EventTooLarge ? io.vmclone.schemas.Reasons.EVENT_TOO_LARGE : io.vmclone.schemas.Reasons.RETRIES_EXHAUSTED;
    }

    /** The most useful one-line description: the API server's message for Kubernetes errors. */
    public static String describe(Throwable t) {
        if (t instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
