package io.vmclone.planner.core;

import java.util.Objects;

/**
 * The clone cannot be planned.
 *
 * @param reason  machine-readable, one of {@link io.vmclone.schemas.Reasons}
 * @param field   the offending field of the clone manifest ({@code spec.newMacAddresses.nic0}), or null
 * @param message what is wrong, for a person
 */
public record Rejection(String reason, String field, String message) implements PlanOutcome {
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
