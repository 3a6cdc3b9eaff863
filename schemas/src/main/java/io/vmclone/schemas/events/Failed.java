package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.schemas.CloneRef;

/** The clone stopped for good after something was attempted; {@code reason} from {@link io.vmclone.schemas.Reasons}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Failed(@JsonProperty("clone") CloneRef cloneRef, String stage, String reason, String message, String targetName)
        implements CloneEventData {}
