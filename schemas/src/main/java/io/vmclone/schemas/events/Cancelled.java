package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.vmclone.schemas.CloneRef;
import java.util.List;

/** What the executor removed after a cancel ({@code kind/name} entries). */
public record Cancelled(@JsonProperty("clone") CloneRef cloneRef, List<String> deleted) implements CloneEventData {}
