package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One cloned volume's copy state, as CDI reports it on its DataVolume.
 *
 * @param progress CDI's string, e.g. {@code 45.20%} or {@code N/A}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeProgress(String volume, String dataVolume, String phase, String progress) {}
