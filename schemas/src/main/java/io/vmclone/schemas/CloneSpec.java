package io.vmclone.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code spec} of a VirtualMachineClone, field for field KubeVirt's {@code clone.kubevirt.io/v1beta1}
 * plus our documented extensions ({@code cloneLabels}, {@code cloneAnnotations}, {@code cloneDisks},
 * {@code cloneNetwork}: null means true; {@code backendStorage}: {@code Fresh} or {@code Copy}, null means
 * {@code Fresh}; {@code volumeStorage}: the target's storage class, access modes or volume mode per cloned volume;
 * {@code targetRunStrategy}: the run strategy the target gets once every volume is copied, null means it stays
 * {@code Halted}).
 * Build one with {@link #builder()}, or change one with {@link #toBuilder()}: adding a field then touches this
 * record, not its callers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloneSpec(
        TypedRef source,
        TypedRef target,
        List<String> labelFilters,
        List<String> annotationFilters,
        TemplateFilters template,
        Map<String, String> newMacAddresses,
        String newSMBiosSerial,
        List<String> patches,
        String volumeNamePolicy,
        Boolean cloneLabels,
        Boolean cloneAnnotations,
        Boolean cloneDisks,
        Boolean cloneNetwork,
        String backendStorage,
        List<VolumeStorage> volumeStorage,
        String targetRunStrategy) {

    public static final String KIND_VM = "VirtualMachine";
    public static final String KIND_SNAPSHOT = "VirtualMachineSnapshot";
    public static final String GROUP_KUBEVIRT = "kubevirt.io";
    public static final String GROUP_SNAPSHOT = "snapshot.kubevirt.io";
    public static final String POLICY_RANDOMIZE = "RandomizeNames";
    public static final String POLICY_PREFIX_TARGET = "PrefixTargetName";
    /** {@code backendStorage}: the target starts with new TPM/EFI state (the default; TPM state can hold sealed secrets). */
    public static final String BACKEND_STORAGE_FRESH = "Fresh";
    /** {@code backendStorage}: the source's persistent-state PVC is cloned with the disks. */
    public static final String BACKEND_STORAGE_COPY = "Copy";
    /** KubeVirt's run strategies, which {@code targetRunStrategy} may name. */
    public static final Set<String> RUN_STRATEGIES = Set.of("Always", "RerunOnFailure", "Manual", "Halted", "Once");

    /** {@code apiGroup}, {@code kind}, {@code name}: a {@code corev1.TypedLocalObjectReference}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TypedRef(String apiGroup, String kind, String name) {
        public static TypedRef vm(String name) {
            return new TypedRef(GROUP_KUBEVIRT, KIND_VM, name);
        }

        public static TypedRef snapshot(String name) {
            return new TypedRef(GROUP_SNAPSHOT, KIND_SNAPSHOT, name);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TemplateFilters(List<String> labelFilters, List<String> annotationFilters) {}

    /**
     * vmclone extension: where a cloned volume's copy goes. {@code volume} names the source VM's volume, or
     * {@code *} for every cloned volume without an entry of its own; each other field, when set, replaces what the
     * copy would take from the source claim (storage class, access modes, volume mode).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VolumeStorage(String volume, String storageClassName, List<String> accessModes, String volumeMode) {
        public static final String EVERY_VOLUME = "*";
    }

    /** A minimal spec cloning the VM {@code source} into {@code target} (null target: generated name). */
    public static CloneSpec of(String source, String target) {
        return builder().source(TypedRef.vm(source)).target(target == null ? null : TypedRef.vm(target)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder().source(source).target(target).labelFilters(labelFilters).annotationFilters(annotationFilters)
                .template(template).newMacAddresses(newMacAddresses).newSMBiosSerial(newSMBiosSerial).patches(patches)
                .volumeNamePolicy(volumeNamePolicy).cloneLabels(cloneLabels).cloneAnnotations(cloneAnnotations)
                .cloneDisks(cloneDisks).cloneNetwork(cloneNetwork).backendStorage(backendStorage).volumeStorage(volumeStorage)
                .targetRunStrategy(targetRunStrategy);
    }

    /** Builds a {@link CloneSpec}; every field starts null (the API's default). */
    public static final class Builder {
        private TypedRef source;
        private TypedRef target;
        private List<String> labelFilters;
        private List<String> annotationFilters;
        private TemplateFilters template;
        private Map<String, String> newMacAddresses;
        private String newSMBiosSerial;
        private List<String> patches;
        private String volumeNamePolicy;
        private Boolean cloneLabels;
        private Boolean cloneAnnotations;
        private Boolean cloneDisks;
        private Boolean cloneNetwork;
        private String backendStorage;
        private List<VolumeStorage> volumeStorage;
        private String targetRunStrategy;

        private Builder() {}

        public Builder source(TypedRef v) { source = v; return this; }
        public Builder target(TypedRef v) { target = v; return this; }
        public Builder labelFilters(List<String> v) { labelFilters = v; return this; }
        public Builder annotationFilters(List<String> v) { annotationFilters = v; return this; }
        public Builder template(TemplateFilters v) { template = v; return this; }
        public Builder newMacAddresses(Map<String, String> v) { newMacAddresses = v; return this; }
        public Builder newSMBiosSerial(String v) { newSMBiosSerial = v; return this; }
        public Builder patches(List<String> v) { patches = v; return this; }
        public Builder volumeNamePolicy(String v) { volumeNamePolicy = v; return this; }
        public Builder cloneLabels(Boolean v) { cloneLabels = v; return this; }
        public Builder cloneAnnotations(Boolean v) { cloneAnnotations = v; return this; }
        public Builder cloneDisks(Boolean v) { cloneDisks = v; return this; }
        public Builder cloneNetwork(Boolean v) { cloneNetwork = v; return this; }
        public Builder backendStorage(String v) { backendStorage = v; return this; }
        public Builder volumeStorage(List<VolumeStorage> v) { volumeStorage = v; return this; }
        public Builder targetRunStrategy(String v) { targetRunStrategy = v; return this; }

        public CloneSpec build() {
            return new CloneSpec(source, target, labelFilters, annotationFilters, template, newMacAddresses, newSMBiosSerial,
                    patches, volumeNamePolicy, cloneLabels, cloneAnnotations, cloneDisks, cloneNetwork, backendStorage, volumeStorage,
                    targetRunStrategy);
        }
    }

    /**
     * The storage a copy of {@code volume} goes to, as asked: its own entry, else the {@code *} entry, else none.
     */
    public Optional<VolumeStorage> storageFor(String volume) {
        if (volumeStorage == null) {
            return Optional.empty();
        }
        return volumeStorage.stream().filter(v -> volume.equals(v.volume())).findFirst()
                .or(() -> volumeStorage.stream().filter(v -> VolumeStorage.EVERY_VOLUME.equals(v.volume())).findFirst());
    }

    public boolean copiesLabels() { return cloneLabels == null || cloneLabels; }
    public boolean copiesAnnotations() { return cloneAnnotations == null || cloneAnnotations; }
    public boolean copiesDisks() { return cloneDisks == null || cloneDisks; }
    public boolean copiesNetwork() { return cloneNetwork == null || cloneNetwork; }
    public boolean copiesBackendStorage() { return BACKEND_STORAGE_COPY.equals(backendStorage); }
}
