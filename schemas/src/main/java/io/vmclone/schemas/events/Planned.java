package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import java.util.List;

/**
 * The exact objects the executor will create: the target VirtualMachine and one DataVolume per cloned
 * volume, plus a human-readable list of what planning changed.
 */
public record Planned(
        @JsonProperty("clone") CloneRef cloneRef,
        String targetName,
        ObjectNode virtualMachine,
        List<ObjectNode> dataVolumes,
        List<String> changes) implements CloneEventData {}
