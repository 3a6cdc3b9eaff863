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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rejected(@JsonProperty("clone") CloneRef cloneRef, String stage, String reason, String field, String message, String correlationId)
        implements CloneEventData {}
