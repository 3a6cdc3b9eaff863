package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.schemas.CloneRef;

/**
 * A request refused before anything was created.
 *
 * @param stage         which service refused it ({@code bridge}, {@code planner})
 * @param reason        machine-readable, from {@link io.vmclone.schemas.Reasons}
 * @param field         the offending field path (e.g. {@code spec.newMacAddresses.nic0}), when one is to blame
 * @param correlationId the original external event's id, for intake requests
 * @param original      for a request whose {@code source} + {@code id} was used before: the clone that earlier
 *                      request became (it may have been deleted since)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rejected(@JsonProperty("clone") CloneRef cloneRef, String stage, String reason, String field, String message, String correlationId,
                       CloneRef original) implements CloneEventData {
    /** A rejection that names no earlier clone (every stage's but the bridge's duplicate answers). */
    public Rejected(CloneRef cloneRef, String stage, String reason, String field, String message, String correlationId) {
        this(cloneRef, stage, reason, field, message, correlationId, null);
    }
}
