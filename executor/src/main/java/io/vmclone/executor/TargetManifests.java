package io.vmclone.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns planned manifests into the objects the executor creates, stamping what ties them to the clone
 * whatever the plan says: namespace, {@code clone-uid}/{@code clone-name} labels, {@code created-by} on
 * the VM, the VM halted, DataVolumes owned by the VM.
 */
final class TargetManifests {
    private TargetManifests() {}

    static GenericKubernetesResource virtualMachine(ObjectNode planned, CloneRef clone) {
        ObjectNode copy = planned.deepCopy();
        ObjectNode spec = copy.with("spec");
        // Created halted: the clone must not boot before its disks are copied (and with the source's identity).
        spec.remove("running");
        spec.put("runStrategy", "Halted");
        GenericKubernetesResource vm = stamped(copy, clone);
        Map<String, String> annotations = vm.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(vm.getMetadata().getAnnotations());
        annotations.put(CloneLabels.CREATED_BY, clone.key());
        vm.getMetadata().setAnnotations(annotations);
        return vm;
    }

    static GenericKubernetesResource dataVolume(ObjectNode planned, CloneRef clone, String volume, GenericKubernetesResource vm) {
        GenericKubernetesResource dv = stamped(planned.deepCopy(), clone);
        Map<String, String> annotations = dv.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(dv.getMetadata().getAnnotations());
        annotations.putIfAbsent(CloneLabels.VOLUME, volume);
        dv.getMetadata().setAnnotations(annotations);
        // Deleting the target VM garbage-collects its DataVolumes.
        dv.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                .withApiVersion(vm.getApiVersion()).withKind(vm.getKind())
                .withName(vm.getMetadata().getName()).withUid(vm.getMetadata().getUid())
                .withBlockOwnerDeletion(false).withController(false).build()));
        return dv;
    }

    private static GenericKubernetesResource stamped(ObjectNode manifest, CloneRef clone) {
        manifest.remove("status");
        GenericKubernetesResource r = Json.MAPPER.convertValue(manifest, GenericKubernetesResource.class);
        r.getMetadata().setNamespace(clone.namespace());
        r.getMetadata().setResourceVersion(null);
        r.getMetadata().setUid(null);
        Map<String, String> labels = r.getMetadata().getLabels() == null ? new HashMap<>() : new HashMap<>(r.getMetadata().getLabels());
        labels.putAll(CloneLabels.ownershipLabels(clone));
        r.getMetadata().setLabels(labels);
        return r;
    }

    /** Made by {@code clone}: carries its uid label. A uid-less clone owns nothing. */
    static boolean ownedBy(GenericKubernetesResource object, CloneRef clone) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && clone.uid() != null && clone.uid().equals(labels.get(CloneLabels.CLONE_UID));
    }
}
