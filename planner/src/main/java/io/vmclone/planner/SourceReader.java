package io.vmclone.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmclone.planner.core.PlanInput;
import io.vmclone.planner.core.SourceRunState;
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
 * {@link PlanInput} for the pure planner. Reads that do not depend on each other are sent at once: the
 * source VM, its instance and the target name in one round trip, then every claim in a second.
 */
public final class SourceReader {
    /** Daemon threads, created as reads need them and dropped when idle. */
    private final java.util.concurrent.ExecutorService reads = java.util.concurrent.Executors.newCachedThreadPool(
            io.vmclone.runtime.DaemonThreads.named("planner-source-read"));
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
        String sourceName = spec.source() == null ? null : spec.source().name();
        // The same name the planner will choose (given, or generated from the clone's uid).
        String targetName = sourceName == null ? null : TargetNaming.resolve(clone, spec);
        var existingTarget = async(() -> targetName == null || targetName.isBlank() ? null
                : get(KubeResources.VIRTUAL_MACHINE, ns, targetName));
        ObjectNode sourceVm = null;
        ObjectNode content = null;
        boolean running = false;
        if (sourceName != null && CloneSpec.KIND_SNAPSHOT.equals(spec.source().kind())) {
            ObjectNode snapshot = get(KubeResources.VM_SNAPSHOT, ns, sourceName);
            String contentName = snapshot == null ? null : snapshot.path("status").path("virtualMachineSnapshotContentName").asText(null);
            content = contentName == null ? null : get(KubeResources.VM_SNAPSHOT_CONTENT, ns, contentName);
            JsonNode vm = content == null ? null : content.path("spec").path("source").path("virtualMachine");
            sourceVm = vm instanceof ObjectNode o ? o : null;
        } else if (sourceName != null) {
            var instance = async(() -> get(KubeResources.VIRTUAL_MACHINE_INSTANCE, ns, sourceName));
            sourceVm = get(KubeResources.VIRTUAL_MACHINE, ns, sourceName);
            ObjectNode vmi = join(instance);
            running = sourceVm != null && SourceRunState.running(sourceVm, vmi);
        }
        List<ObjectNode> claims = sourceVm == null ? List.of() : claims(ns, sourceVm);
        return new PlanInput(clone, spec, sourceVm, content, claims, running, join(existingTarget));
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
        List<java.util.concurrent.Future<ObjectNode>> pending = new ArrayList<>();
        for (String name : names) {
            pending.add(async(() -> {
                var pvc = kube.persistentVolumeClaims().inNamespace(ns).withName(name).get();
                return pvc == null ? null : Json.MAPPER.valueToTree(pvc);
            }));
            pending.add(async(() -> get(KubeResources.DATA_VOLUME, ns, name)));
        }
        List<ObjectNode> claims = new ArrayList<>();
        for (var read : pending) {
            ObjectNode claim = join(read);
            if (claim != null) {
                claims.add(claim);
            }
        }
        return claims;
    }

    private java.util.concurrent.Future<ObjectNode> async(java.util.concurrent.Callable<ObjectNode> read) {
        return reads.submit(read);
    }

    /** The read's result; its failure (a KubernetesClientException, say) is thrown as it was, for the retry logic. */
    private static ObjectNode join(java.util.concurrent.Future<ObjectNode> read) {
        try {
            return read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            read.cancel(true);
            throw new IllegalStateException("interrupted while reading the source", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw io.vmclone.runtime.Failures.unwrap(e);
        }
    }

    private ObjectNode get(ResourceDefinitionContext kind, String ns, String name) {
        GenericKubernetesResource r = kube.genericKubernetesResources(kind).inNamespace(ns).withName(name).get();
        return r == null ? null : Json.MAPPER.valueToTree(r);
    }
}
