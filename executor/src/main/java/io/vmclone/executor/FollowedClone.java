package io.vmclone.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What following one clone needs: its identity, the target VM name, and the DataVolumes it waits for
 * (each with the source volume it clones, for progress reports).
 */
public record FollowedClone(CloneRef ref, String targetName, List<Volume> volumes) {
    /** One planned DataVolume and the VM volume it backs. */
    public record Volume(String volume, String dataVolume) {}

    public FollowedClone {
        volumes = List.copyOf(volumes);
    }

    /**
     * From a plan. Each DataVolume's source volume comes from its {@code vmclone.io/volume} annotation;
     * plans without it fall back to the target VM volume that references the DataVolume, then to its name.
     */
    public static FollowedClone of(Planned plan) {
        Map<String, String> byVm = volumeOfDataVolume(plan.virtualMachine());
        List<Volume> volumes = new ArrayList<>();
        for (ObjectNode dv : plan.dataVolumes()) {
            String name = dv.path("metadata").path("name").asText();
            String annotated = dv.path("metadata").path("annotations").path(CloneLabels.VOLUME).asText("");
            volumes.add(new Volume(!annotated.isEmpty() ? annotated : byVm.getOrDefault(name, name), name));
        }
        return new FollowedClone(plan.cloneRef(), plan.targetName(), volumes);
    }

    /**
     * From a target VM found in the cluster (restart without the plan in the log): every
     * {@code dataVolume} volume of a target VM is one of the planned DataVolumes.
     */
    public static FollowedClone of(GenericKubernetesResource vm) {
        ObjectNode node = Json.MAPPER.convertValue(vm, ObjectNode.class);
        Map<String, String> labels = vm.getMetadata().getLabels() == null ? Map.of() : vm.getMetadata().getLabels();
        String labelled = CloneLabels.cloneNameOf(labels, vm.getMetadata().getAnnotations());
        String name = labelled != null ? labelled : vm.getMetadata().getName();
        CloneRef ref = new CloneRef(vm.getMetadata().getNamespace(), name, labels.get(CloneLabels.CLONE_UID));
        List<Volume> volumes = new ArrayList<>();
        volumeOfDataVolume(node).forEach((dv, volume) -> volumes.add(new Volume(volume, dv)));
        return new FollowedClone(ref, vm.getMetadata().getName(), volumes);
    }

    /** DataVolume name → VM volume name, for {@code spec.template.spec.volumes[].dataVolume}. */
    static Map<String, String> volumeOfDataVolume(JsonNode vm) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (JsonNode v : vm.path("spec").path("template").path("spec").path("volumes")) {
            String dv = v.path("dataVolume").path("name").asText("");
            if (!dv.isEmpty()) {
                out.put(dv, v.path("name").asText(dv));
            }
        }
        return out;
    }

    public List<String> dataVolumeNames() {
        return volumes.stream().map(Volume::dataVolume).toList();
    }
}
