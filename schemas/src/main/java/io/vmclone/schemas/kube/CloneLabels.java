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
    /**
     * On a planned target VM: the run strategy it gets once every volume is copied ({@code spec.targetRunStrategy});
     * the executor sets it and removes this annotation.
     */
    public static final String RUN_STRATEGY_AFTER_CLONE = PREFIX + "run-strategy-after-clone";
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
    /**
     * On a VirtualMachineClone materialised from the intake topic: the record it came from ({@code topic-partition@offset}),
     * so the same record handled again (a rolled-back transaction, a restart before the commit) is not taken for a replay.
     */
    public static final String REQUEST_RECORD = PREFIX + "request-record";
    /** Label on a materialised VirtualMachineClone: a hash of the CloudEvent source + id, to find it by request. */
    public static final String REQUEST_KEY = PREFIX + "request-key";

    /**
     * The labels that tie an object to {@code clone}: {@link #CLONE_UID} (when the clone has a uid) and
     * {@link #CLONE_NAME} (label-safe, see {@link #nameLabelValue}). The planner and the executor both stamp
     * with this, so the two can never disagree on a value.
     */
    public static java.util.Map<String, String> ownershipLabels(io.vmclone.schemas.CloneRef clone) {
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        if (clone.uid() != null) {
            labels.put(CLONE_UID, clone.uid());
        }
        labels.put(CLONE_NAME, nameLabelValue(clone.name()));
        return labels;
    }

    /**
     * The name of the clone that made an object: from its {@link #CREATED_BY} annotation ({@code ns/name}, never
     * shortened), else its {@link #CLONE_NAME} label (which is shortened for names over 63 characters).
     */
    public static String cloneNameOf(java.util.Map<String, String> labels, java.util.Map<String, String> annotations) {
        String createdBy = annotations == null ? null : annotations.get(CREATED_BY);
        if (createdBy != null && createdBy.indexOf('/') > 0) {
            return createdBy.substring(createdBy.indexOf('/') + 1);
        }
        return labels == null ? null : labels.get(CLONE_NAME);
    }

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
