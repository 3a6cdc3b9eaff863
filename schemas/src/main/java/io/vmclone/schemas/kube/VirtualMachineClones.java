package io.vmclone.schemas.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import java.util.Map;

/** Converts between VirtualMachineClone resources (generic, any group) and our typed records. */
public final class VirtualMachineClones {
    private VirtualMachineClones() {}

    public static CloneRef ref(GenericKubernetesResource clone) {
        ObjectMeta m = clone.getMetadata();
        return new CloneRef(m.getNamespace(), m.getName(), m.getUid());
    }

    /** The typed spec; throws IllegalArgumentException with the Jackson reason if it has the wrong shape. */
    public static CloneSpec spec(GenericKubernetesResource clone) {
        Object spec = clone.getAdditionalProperties().get("spec");
        if (spec == null) {
            throw new IllegalArgumentException("spec is required");
        }
        try {
            return Json.MAPPER.convertValue(spec, CloneSpec.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("spec has the wrong shape: " + e.getMessage(), e);
        }
    }

    /** The typed status, or null if the resource has none yet. */
    public static CloneStatus status(GenericKubernetesResource clone) {
        Object status = clone.getAdditionalProperties().get("status");
        return status == null ? null : Json.MAPPER.convertValue(status, CloneStatus.class);
    }

    @SuppressWarnings("unchecked")
    public static void setStatus(GenericKubernetesResource clone, CloneStatus status) {
        clone.getAdditionalProperties().put("status", Json.MAPPER.convertValue(status, Map.class));
    }

    /** A new VirtualMachineClone resource (not yet created) for {@code spec}. */
    @SuppressWarnings("unchecked")
    public static GenericKubernetesResource newResource(String group, String namespace, String name, CloneSpec spec,
                                                        Map<String, String> annotations) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
                .withApiVersion(KubeResources.cloneApiVersion(group))
                .withKind(KubeResources.CLONE_KIND)
                .withNewMetadata().withNamespace(namespace).withName(name).withAnnotations(annotations).endMetadata()
                .build();
        r.getAdditionalProperties().put("spec", Json.MAPPER.convertValue(spec, Map.class));
        return r;
    }
}
