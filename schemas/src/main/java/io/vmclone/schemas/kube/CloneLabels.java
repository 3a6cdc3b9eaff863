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
    /** On a VirtualMachineClone materialised from an external request: {@code intake} or {@code http}. */
    public static final String REQUEST_CHANNEL = PREFIX + "request-channel";
    /** On a materialised VirtualMachineClone: the requester and the bridge's decision, as JSON (never a token). */
    public static final String REQUESTER_DECISION = PREFIX + "requester-decision";
    /** On a materialised VirtualMachineClone: SHA-256 of the request, to tell a redelivery from a conflicting duplicate. */
    public static final String REQUEST_DIGEST = PREFIX + "request-digest";
    /** Label on a materialised VirtualMachineClone: a hash of the CloudEvent source + id, to find it by request. */
    public static final String REQUEST_KEY = PREFIX + "request-key";

    /**
     * The {@link #CLONE_NAME} label value for a clone name: the name itself when it fits a label value
     * (63 characters), else a truncated prefix plus a short hash, so long clone names stay valid labels.
     */
    public static String nameLabelValue(String cloneName) {
        if (cloneName.length() <= 63) {
            return cloneName;
        }
        String hash;
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(cloneName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            hash = java.util.HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        String prefix = cloneName.substring(0, 52).replaceAll("[^A-Za-z0-9]+$", "");
        return prefix + "-" + hash;
    }
}
