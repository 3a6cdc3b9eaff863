package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.schemas.CloneRef;
import java.util.List;

/**
 * The clone moved forward.
 *
 * @param phase    {@code CreatingTargetVM} or {@code CloningVolumes}
 * @param progress overall percentage in CDI's format, e.g. {@code 37.50%}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progressed(@JsonProperty("clone") CloneRef cloneRef, String phase, String targetName, String progress, List<VolumeProgress> volumes)
        implements CloneEventData {
    public static final String CREATING_TARGET_VM = "CreatingTargetVM";
    public static final String CLONING_VOLUMES = "CloningVolumes";
}
