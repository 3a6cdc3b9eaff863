package io.vmclone.testsupport;

import io.vmclone.schemas.kube.CdiAnnotations;
import java.util.Map;

/**
 * How the simulated CDI clones one DataVolume, chosen per StorageClass or per DataVolume by annotation (the
 * DataVolume's wins), so that a test picks the behaviour by where its source disk lives:
 *
 * <ul>
 *   <li>{@code cdi.kubevirt.io/clone-strategy}: {@code snapshot} (the default: CDI's smart clone), {@code csi-clone}
 *       or {@code copy} (host-assisted) — on a StorageClass it is CDI's own annotation for the StorageProfile;</li>
 *   <li>{@link #FALLBACK_REASON}: CDI cannot do the smart clone and falls back to {@code copy}, giving this reason
 *       (CDI's words, e.g. {@code No compatible volumesnapshotclass found});</li>
 *   <li>{@link #CSI_CLONE_ERROR}: the CSI driver refuses the clone (CDI#4068): the claim is never bound and the
 *       DataVolume stays {@code CSICloneInProgress}, CDI's Bound condition carrying the driver's error.</li>
 * </ul>
 *
 * @param strategy       CDI's clone type the DataVolume and claim are annotated with
 * @param fallbackReason why CDI fell back to {@code copy}, or null
 * @param csiError       the CSI driver's refusal, or null
 */
public record SimulatedCloneMode(String strategy, String fallbackReason, String csiError) {
    public static final String FALLBACK_REASON = "simulator.vmclone.io/fallback-reason";
    public static final String CSI_CLONE_ERROR = "simulator.vmclone.io/csi-clone-error";

    public static final SimulatedCloneMode SMART_CLONE = new SimulatedCloneMode(CdiAnnotations.STRATEGY_SNAPSHOT, null, null);

    /** @param dataVolume the DataVolume's annotations; {@code storageClass} its StorageClass's (either may be empty) */
    public static SimulatedCloneMode of(Map<String, String> dataVolume, Map<String, String> storageClass) {
        String fallback = pick(FALLBACK_REASON, dataVolume, storageClass);
        if (fallback != null) {
            return new SimulatedCloneMode(CdiAnnotations.STRATEGY_COPY, fallback, null);
        }
        String error = pick(CSI_CLONE_ERROR, dataVolume, storageClass);
        if (error != null) {
            return new SimulatedCloneMode(CdiAnnotations.STRATEGY_CSI_CLONE, null, error);
        }
        String strategy = pick(CdiAnnotations.STORAGE_CLASS_CLONE_STRATEGY, dataVolume, storageClass);
        if (CdiAnnotations.STRATEGY_CSI_CLONE.equals(strategy) || CdiAnnotations.STRATEGY_COPY.equals(strategy)) {
            return new SimulatedCloneMode(strategy, null, null);
        }
        return SMART_CLONE; // CDI's default, and what it does with a strategy it does not know
    }

    private static String pick(String key, Map<String, String> first, Map<String, String> second) {
        String v = first == null ? null : first.get(key);
        if (v == null || v.isBlank()) {
            v = second == null ? null : second.get(key);
        }
        return v == null || v.isBlank() ? null : v;
    }

    /** Host-assisted copies are the only ones CDI measures in percent; CSI and snapshot clones stay N/A until done. */
    boolean measured() {
        return CdiAnnotations.STRATEGY_COPY.equals(strategy);
    }

    /** CDI's DataVolume phase while this strategy copies ({@code first}: the first step of it). */
    String copyingPhase(boolean first) {
        return switch (strategy) {
            case CdiAnnotations.STRATEGY_COPY -> "CloneInProgress";
            case CdiAnnotations.STRATEGY_CSI_CLONE -> "CSICloneInProgress";
            default -> first ? "SnapshotForSmartCloneInProgress" : "CloneFromSnapshotSourceInProgress";
        };
    }
}
