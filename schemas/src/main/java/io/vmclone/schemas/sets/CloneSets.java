package io.vmclone.schemas.sets;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Converts VirtualMachineCloneSet resources to typed records, and makes the clones a set owns. */
public final class CloneSets {
    private CloneSets() {}

    /** Label on each VirtualMachineClone a set made: the set's name (label-safe, see {@link CloneLabels#nameLabelValue}). */
    public static final String SET_LABEL = CloneLabels.PREFIX + "clone-set";
    /** Annotation on each VirtualMachineClone a set made: its replica index. */
    public static final String INDEX_ANNOTATION = CloneLabels.PREFIX + "clone-set-index";

    /** The typed spec; throws IllegalArgumentException naming the problem if it has the wrong shape. */
    public static CloneSetSpec spec(GenericKubernetesResource set) {
        Object spec = set.getAdditionalProperties().get("spec");
        if (spec == null) {
            throw new IllegalArgumentException("spec is required");
        }
        try {
            return Json.MAPPER.convertValue(spec, CloneSetSpec.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("spec has the wrong shape: " + e.getMessage(), e);
        }
    }

    /** The typed status, or null if the set has none yet. */
    public static CloneSetStatus status(GenericKubernetesResource set) {
        Object status = set.getAdditionalProperties().get("status");
        return status == null ? null : Json.MAPPER.convertValue(status, CloneSetStatus.class);
    }

    @SuppressWarnings("unchecked")
    public static void setStatus(GenericKubernetesResource set, CloneSetStatus status) {
        set.getAdditionalProperties().put("status", Json.MAPPER.convertValue(status, Map.class));
    }

    /** A new VirtualMachineCloneSet resource (not yet created) for {@code spec}. */
    @SuppressWarnings("unchecked")
    public static GenericKubernetesResource newResource(String namespace, String name, CloneSetSpec spec) {
        GenericKubernetesResource r = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion(KubeResources.CLONE_SET.getGroup() + "/" + KubeResources.CLONE_SET.getVersion())
                .withKind(KubeResources.CLONE_SET.getKind())
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .build();
        r.getAdditionalProperties().put("spec", Json.MAPPER.convertValue(spec, Map.class));
        return r;
    }

    /** The name of replica {@code index}'s VirtualMachineClone: {@code <set>-<index>}, never padded. */
    public static String cloneName(String setName, int index) {
        return setName + "-" + index;
    }

    /** The clone spec of replica {@code index}: the template with its target named by the pattern. */
    public static CloneSpec replicaSpec(CloneSetSpec spec, String setName, int index) {
        CloneSpec t = spec.template();
        String target = TargetNamePattern.parse(spec.patternFor(setName)).orElseThrow().render(index);
        return t.toBuilder().target(CloneSpec.TypedRef.vm(target)).build();
    }

    /**
     * Replica {@code index}'s VirtualMachineClone, not yet created: owned by the set (so deleting the set lets
     * Kubernetes' garbage collector remove its clones, which cancels the unfinished ones) and labelled with it.
     */
    public static GenericKubernetesResource newClone(String cloneGroup, GenericKubernetesResource set, CloneSetSpec spec, int index) {
        String setName = set.getMetadata().getName();
        GenericKubernetesResource clone = VirtualMachineClones.newResource(cloneGroup, set.getMetadata().getNamespace(),
                cloneName(setName, index), replicaSpec(spec, setName, index), Map.of(INDEX_ANNOTATION, Integer.toString(index)));
        clone.getMetadata().setLabels(Map.of(SET_LABEL, CloneLabels.nameLabelValue(setName)));
        clone.getMetadata().setOwnerReferences(List.of(ownerReference(set)));
        return clone;
    }

    private static OwnerReference ownerReference(GenericKubernetesResource set) {
        return new OwnerReferenceBuilder()
                .withApiVersion(set.getApiVersion()).withKind(KubeResources.CLONE_SET.getKind())
                .withName(set.getMetadata().getName()).withUid(set.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(false).build();
    }

    /** The set that owns {@code clone} (its controller owner reference of our kind), if any. */
    public static Optional<OwnerReference> owner(GenericKubernetesResource clone) {
        List<OwnerReference> refs = clone.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty() : refs.stream()
                .filter(r -> KubeResources.CLONE_SET.getKind().equals(r.getKind()) && Boolean.TRUE.equals(r.getController()))
                .findFirst();
    }
}
