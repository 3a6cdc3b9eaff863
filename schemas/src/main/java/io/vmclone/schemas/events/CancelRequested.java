package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vmclone.schemas.CloneRef;

/** The VirtualMachineClone was deleted before it finished: undo what this clone created. */
public record CancelRequested(@JsonProperty("clone") CloneRef cloneRef) implements CloneEventData {}
