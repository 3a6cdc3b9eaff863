package io.vmclone.schemas.kube;

/**
 * Labels and annotations that tie cluster objects to the clone that made them. Every side effect is
 * keyed by these, so a replay recognises its own objects and never touches a stranger's.
 */
public final class CloneLabels {
    private CloneLabels() {}

    public static final String PREFIX = "vmclone.io/";
    /** On the target VM and DataVolumes: the uid of the VirtualMachineClone that created them. */
    public static final String CLONE_UID = PREFIX + "clone-uid";
    /** On the target VM and DataVolumes: the clone's name (labels cannot hold a slash, so no namespace). */
    public static final String CLONE_NAME = PREFIX + "clone-name";
    /** On the target VM: {@code <namespace>/<name>} of the clone that made it. */
    public static final String CREATED_BY = PREFIX + "created-by";
    /** On each planned DataVolume: the name of the source VM volume it clones. */
    public static final String VOLUME = PREFIX + "volume";
    /** On a VirtualMachineClone materialised from an external request: the CloudEvent source. */
    public static final String REQUEST_SOURCE = PREFIX + "request-source";
    /** On a VirtualMachineClone materialised from an external request: the CloudEvent id. */
    public static final String REQUEST_ID = PREFIX + "request-id";
    /** On a VirtualMachineClone materialised from an external request: the requester's user name. */
    public static final String REQUESTER = PREFIX + "requester";
}
