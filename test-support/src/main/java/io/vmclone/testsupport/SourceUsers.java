package io.vmclone.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds a source claim, as CDI decides before a clone (containerized-data-importer
 * {@code GetPodsUsingPVCs}): a pod that has not finished and mounts the claim writable. A running
 * VirtualMachineInstance stands for its virt-launcher pod (tests run no KubeVirt to make one), named
 * {@code virt-launcher-<vmi>} here.
 */
final class SourceUsers {
    private SourceUsers() {}

    /** The first user of {@code claim} as {@code namespace/pod}, if any. */
    static Optional<String> podUsing(String claim, List<Pod> pods, List<GenericKubernetesResource> vmis) {
        for (Pod p : pods) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if (!finished(phase) && p.getSpec() != null && p.getSpec().getVolumes() != null
                    && p.getSpec().getVolumes().stream().anyMatch(v -> mountsWritable(v, claim))) {
                return Optional.of(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
            }
        }
        for (GenericKubernetesResource vmi : vmis) {
            if (!finished(phaseOf(vmi)) && vmiUses(vmi, claim)) {
                return Optional.of(vmi.getMetadata().getNamespace() + "/virt-launcher-" + vmi.getMetadata().getName());
            }
        }
        return Optional.empty();
    }

    private static boolean finished(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** CDI lets a clone start beside readers: only a writable mount holds the source. */
    private static boolean mountsWritable(Volume v, String claim) {
        return v.getPersistentVolumeClaim() != null && claim.equals(v.getPersistentVolumeClaim().getClaimName())
                && !Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly());
    }

    private static String phaseOf(GenericKubernetesResource vmi) {
        return vmi.getAdditionalProperties().get("status") instanceof Map<?, ?> s && s.get("phase") != null ? s.get("phase").toString() : null;
    }

    /** KubeVirt mounts a volume's claim whether the VMI names it as a claim or as a DataVolume (claim = DataVolume name). */
    private static boolean vmiUses(GenericKubernetesResource vmi, String claim) {
        if (!(vmi.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec) || !(spec.get("volumes") instanceof List<?> volumes)) {
            return false;
        }
        for (Object v : volumes) {
            if (v instanceof Map<?, ?> m && (claim.equals(nested(m, "persistentVolumeClaim", "claimName"))
                    || claim.equals(nested(m, "dataVolume", "name")))) {
                return true;
            }
        }
        return false;
    }

    private static Object nested(Map<?, ?> m, String key, String field) {
        return m.get(key) instanceof Map<?, ?> inner ? inner.get(field) : null;
    }
}
