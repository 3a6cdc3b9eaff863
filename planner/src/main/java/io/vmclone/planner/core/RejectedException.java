package io.vmclone.planner.core;

/** Carries a {@link Rejection} out of a planning step deep in the tree walk; caught by {@link ClonePlanner}. */
final class RejectedException extends RuntimeException {
    private final transient Rejection rejection;

    RejectedException(String reason, String field, String message) {
        super(message, null, false, false);
        this.rejection = new Rejection(reason, field, message);
    }

    Rejection rejection() {
        return rejection;
    }
}
