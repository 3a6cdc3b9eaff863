package io.vmclone.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmclone.planner.core.PlanInput;
import io.vmclone.planner.core.TargetNaming;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.validation.CloneSpecValidator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The planner's only contact with the cluster: reads the source VM (or snapshot and its content), the
 * claims its volumes use, whether it runs, and any VM already holding the target name, into a
 * {@link PlanInput} for the pure planner.
 */
public final class SourceReader {
    private final KubernetesClient kube;
    private final CloneSpecValidator validator = new CloneSpecValidator();

    public SourceReader(KubernetesClient kube) {
        this.kube = kube;
    }

    public PlanInput read(CloneRef clone, CloneSpec spec) {
        if (!validator.validate(spec).isEmpty()) {
            // An invalid spec is refused by the planner without a look at the cluster: its names may not even
            // be valid in a URL (empty, unicode tricks), and nothing about it should reach the API server.
            return new PlanInput(clone, spec, null, null, List.of(), false, null);
        }
        String ns = clone.namespace();
        ObjectNode sourceVm = null;
        ObjectNode content = null;
        boolean running = false;
        String sourceName = spec.source() == null ? null : spec.source().name();
        if (sourceName != null && CloneSpec.KIND_SNAPSHOT.equals(spec.source().kind())) {
            ObjectNode snapshot = get(KubeResources.VM_SNAPSHOT, ns, sourceName);
            String contentName = snapshot == null ? null : snapshot.path("status").path("virtualMachineSnapshotContentName").asText(null);
            content = contentName == null ? null : get(KubeResources.VM_SNAPSHOT_CONTENT, ns, contentName);
            JsonNode vm = content == null ? null : content.path("spec").path("source").path("virtualMachine");
            sourceVm = vm instanceof ObjectNode o ? o : null;
        } else if (sourceName != null) {
            sourceVm = get(KubeResources.VIRTUAL_MACHINE, ns, sourceName);
            running = sourceVm != null && (get(KubeResources.VIRTUAL_MACHINE_INSTANCE, ns, sourceName) != null
                    || sourceVm.path("status").path("ready").asBoolean(false));
        }
        List<ObjectNode> claims = sourceVm == null ? List.of() : claims(ns, sourceVm);
        // The same name the planner will choose (given, or generated from the clone's uid).
        String targetName = sourceName == null ? null : TargetNaming.resolve(clone, spec);
        ObjectNode existingTarget = targetName == null || targetName.isBlank() ? null : get(KubeResources.VIRTUAL_MACHINE, ns, targetName);
        return new PlanInput(clone, spec, sourceVm, content, claims, running, existingTarget);
    }

    /** The PVCs and DataVolumes named by the VM's volumes (a DataVolume's PVC has the same name). */
    private List<ObjectNode> claims(String ns, ObjectNode vm) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode volume : vm.path("spec").path("template").path("spec").path("volumes")) {
            String dv = volume.path("dataVolume").path("name").asText(null);
            String pvc = volume.path("persistentVolumeClaim").path("claimName").asText(null);
            if (dv != null) {
                names.add(dv);
            }
            if (pvc != null) {
                names.add(pvc);
            }
        }
        List<ObjectNode> claims = new ArrayList<>();
        for (String name : names) {
            var pvc = kube.persistentVolumeClaims().inNamespace(ns).withName(name).get();
            if (pvc != null) {
                claims.add(Json.MAPPER.valueToTree(pvc));
            }
            ObjectNode dv = get(KubeResources.DATA_VOLUME, ns, name);
            if (dv != null) {
                claims.add(dv);
            }
        }
        return claims;
    }

    private ObjectNode get(ResourceDefinitionContext kind, String ns, String name) {
        GenericKubernetesResource r = kube.genericKubernetesResources(kind).inNamespace(ns).withName(name).get();
        return r == null ? null : Json.MAPPER.valueToTree(r);
    }
}
