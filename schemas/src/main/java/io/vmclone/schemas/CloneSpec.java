package io.vmclone.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code spec} of a VirtualMachineClone, field for field KubeVirt's {@code clone.kubevirt.io/v1beta1}
 * plus our documented extensions ({@code cloneLabels}, {@code cloneAnnotations}, {@code cloneDisks},
 * {@code cloneNetwork}: null means true; {@code backendStorage}: {@code Fresh} or {@code Copy}, null means
 * {@code Fresh}).
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
        String backendStorage) {

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

    /** A minimal spec cloning the VM {@code source} into {@code target} (null target: generated name). */
    public static CloneSpec of(String source, String target) {
        return new CloneSpec(TypedRef.vm(source), target == null ? null : TypedRef.vm(target),
                null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean copiesLabels() { return cloneLabels == null || cloneLabels; }
    public boolean copiesAnnotations() { return cloneAnnotations == null || cloneAnnotations; }
    public boolean copiesDisks() { return cloneDisks == null || cloneDisks; }
    public boolean copiesNetwork() { return cloneNetwork == null || cloneNetwork; }
    public boolean copiesBackendStorage() { return BACKEND_STORAGE_COPY.equals(backendStorage); }
}
