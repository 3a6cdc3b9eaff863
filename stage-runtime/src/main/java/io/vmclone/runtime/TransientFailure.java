package io.vmclone.runtime;

/** A failure worth retrying with backoff (API server 5xx, timeouts, throttling). */
public class TransientFailure extends Exception {
    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientFailure(String message) {
        super(message);
    }
}
