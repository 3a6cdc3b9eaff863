package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One cloned volume's copy state, as CDI reports it on its DataVolume and target claim.
 *
 * @param progress       CDI's string, e.g. {@code 45.20%} or {@code N/A} (CSI and snapshot clones stay {@code N/A} until done)
 * @param strategy       the clone strategy CDI chose ({@code snapshot}, {@code csi-clone}, {@code copy}); null until CDI says
 * @param fallbackReason why CDI fell back to a host-assisted {@code copy}, in CDI's words; null if it did not
 * @param reason         why CDI holds the volume back (e.g. {@code CloneSourceInUse}); null while nothing does
 * @param message        CDI's words for {@code reason} (e.g. {@code pod apps/backup using PersistentVolumeClaim data})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeProgress(String volume, String dataVolume, String phase, String progress, String strategy,
                             String fallbackReason, String reason, String message) {
    /** The longest {@code fallbackReason} or {@code message} carried (the event schema's bound); longer text is cut. */
    public static final int MAX_TEXT = 1024;

    /** A volume of which only the phase and progress are known. */
    public VolumeProgress(String volume, String dataVolume, String phase, String progress) {
        this(volume, dataVolume, phase, progress, null, null, null, null);
    }
}
