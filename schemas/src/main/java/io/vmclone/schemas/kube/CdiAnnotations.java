package io.vmclone.schemas.kube;

/**
 * CDI's annotations that vmclone writes or reads, as CDI spells them (containerized-data-importer,
 * {@code pkg/controller/common/util.go}, {@code pkg/controller/populators/clone-populator.go}).
 */
public final class CdiAnnotations {
    private CdiAnnotations() {}

    /** Bind the claim (and copy) without waiting for a first consumer pod on WaitForFirstConsumer storage. */
    public static final String BIND_IMMEDIATE = "cdi.kubevirt.io/storage.bind.immediate.requested";
    /**
     * The clone strategy CDI chose ({@link #STRATEGY_SNAPSHOT}, {@link #STRATEGY_CSI_CLONE}, {@link #STRATEGY_COPY}):
     * written on the target claim, and copied by CDI onto the DataVolume.
     */
    public static final String CLONE_TYPE = "cdi.kubevirt.io/cloneType";
    /**
     * Set by CDI on the target claim (not the DataVolume) when a smart clone fell back to a host-assisted copy:
     * why, in CDI's words (e.g. "No compatible volumesnapshotclass found").
     */
    public static final String CLONE_FALLBACK_REASON = "cdi.kubevirt.io/cloneFallbackReason";
    /** On a StorageClass: the clone strategy its StorageProfile asks for (CDI's {@code cdi.kubevirt.io/clone-strategy}). */
    public static final String STORAGE_CLASS_CLONE_STRATEGY = "cdi.kubevirt.io/clone-strategy";

    /** Smart clone: a VolumeSnapshot of the source, a claim restored from it. Progress stays {@code N/A}. */
    public static final String STRATEGY_SNAPSHOT = "snapshot";
    /** CSI volume clone (the claim's dataSource is the source claim). Progress stays {@code N/A}. */
    public static final String STRATEGY_CSI_CLONE = "csi-clone";
    /** Host-assisted copy by a source and a target pod; the only strategy with a percentage. */
    public static final String STRATEGY_COPY = "copy";
}
