package io.vmclone.schemas.kube;

/** CDI's annotations on DataVolumes that vmclone writes or reads. */
public final class CdiAnnotations {
    private CdiAnnotations() {}

    /** Bind the claim (and copy) without waiting for a first consumer pod on WaitForFirstConsumer storage. */
    public static final String BIND_IMMEDIATE = "cdi.kubevirt.io/storage.bind.immediate.requested";
    /** Set by CDI when a smart clone fell back to a host-assisted copy: why. */
    public static final String CLONE_FALLBACK_REASON = "cdi.kubevirt.io/cloneFallbackReason";
}
