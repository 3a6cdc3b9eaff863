package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.vmclone.schemas.CloneRef;
import java.util.List;

/** The target VM exists and every DataVolume finished copying. */
public record Succeeded(@JsonProperty("clone") CloneRef cloneRef, String targetName, List<VolumeProgress> volumes) implements CloneEventData {}
