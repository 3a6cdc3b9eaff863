package io.vmclone.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmclone.planner.core.BackendStorage;
import io.vmclone.planner.core.PlanInput;
import io.vmclone.planner.core.SnapshotSource;
import io.vmclone.planner.core.SourceRunState;
import io.vmclone.planner.core.TargetNaming;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.validation.CloneSpecValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/**
 * The planner's only contact with the cluster: reads the source VM (or snapshot and its content), the
 * claims its volumes use, whether it runs, any VM already holding the target name and, for a source with
 * backend storage, the persistent-state PVCs of the source and of the target name, into a {@link PlanInput}
 * for the pure planner. Reads that do not depend on each other are sent at once: the source VM, its
 * instance and the target name in one round trip, then every claim in a second.
 */
public final class SourceReader {
    /** Daemon threads, created as reads need them and dropped when idle. */
    private final java.util.concurrent.ExecutorService reads = java.util.concurrent.Executors.newCachedThreadPool(
            io.vmclone.runtime.DaemonThreads.named("planner-source-read"));
    private final KubernetesClient kube;
    private final CloneSpecValidator validator = new CloneSpecValidator();
    /** Kubernetes' label value syntax (at most 63 characters). */
    private static final java.util.regex.Pattern LABEL_VALUE =
            java.util.regex.Pattern.compile("(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    public SourceReader(KubernetesClient kube) {
        this.kube = kube;
    }

    /** What was read of the source; {@code vm} is the VM to clone (the stored one for a snapshot source). */
    private record Source(ObjectNode liveVm, ObjectNode snapshot, ObjectNode content, boolean running, ObjectNode vm) {}

    public PlanInput read(CloneRef clone, CloneSpec spec) {
        if (!validator.validate(spec).isEmpty()) {
            // An invalid spec is refused by the planner without a look at the cluster: its names may not even
            // be valid in a URL (empty, unicode tricks), and nothing about it should reach the API server.
            return new PlanInput(clone, spec, null, null, null, List.of(), List.of(), false, null);
        }
        String ns = clone.namespace();
        // The same name the planner will choose (given, or generated from the clone's uid).
        String targetName = TargetNaming.resolve(clone, spec);
        Future<ObjectNode> existingTarget = async(() -> targetName.isBlank() ? null : get(KubeResources.VIRTUAL_MACHINE, ns, targetName));
        boolean fromSnapshot = CloneSpec.KIND_SNAPSHOT.equals(spec.source().kind());
        Source source = fromSnapshot ? snapshotSource(ns, spec.source().name()) : vmSource(ns, spec.source().name());
        List<ObjectNode> claims = source.vm() == null ? List.of() : claims(ns, source.vm());
        List<ObjectNode> stateClaims = stateClaims(ns, spec, source.vm(), fromSnapshot, targetName);
        return new PlanInput(clone, spec, source.liveVm(), source.snapshot(), source.content(), claims, stateClaims,
                source.running(), join(existingTarget));
    }

    private Source vmSource(String ns, String name) {
        Future<ObjectNode> instance = async(() -> get(KubeResources.VIRTUAL_MACHINE_INSTANCE, ns, name));
        ObjectNode vm = get(KubeResources.VIRTUAL_MACHINE, ns, name);
        ObjectNode vmi = join(instance);
        return new Source(vm, null, null, vm != null && SourceRunState.running(vm, vmi), vm);
    }

    /** The snapshot and the content KubeVirt names for it; the planner checks that they agree. */
    private Source snapshotSource(String ns, String name) {
        ObjectNode snapshot = get(KubeResources.VM_SNAPSHOT, ns, name);
        String contentName = snapshot == null ? null : SnapshotSource.contentName(snapshot);
        ObjectNode content = contentName == null ? null : get(KubeResources.VM_SNAPSHOT_CONTENT, ns, contentName);
        JsonNode vm = content == null ? null : content.path("spec").path("source").path("virtualMachine");
        return new Source(null, snapshot, content, false, vm instanceof ObjectNode o ? o : null);
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
        List<Future<ObjectNode>> pending = new ArrayList<>();
        for (String name : names) {
            pending.add(async(() -> pvc(ns, name)));
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

    /**
     * For a source with backend storage: the persistent-state PVCs KubeVirt would take for the target name
     * (a stranger's would be handed to the clone) and, to copy it, for the source VM. KubeVirt finds them by
     * label (a list) or by their legacy name.
     */
    private List<ObjectNode> stateClaims(String ns, CloneSpec spec, ObjectNode vm, boolean fromSnapshot, String targetName) {
        if (vm == null || !BackendStorage.needed(vm, fromSnapshot)) {
            return List.of();
        }
        List<String> owners = new ArrayList<>(List.of(targetName));
        String vmName = vm.path("metadata").path("name").asText("");
        if (spec.copiesBackendStorage() && !fromSnapshot && !vmName.isEmpty()) {
            owners.add(vmName); // a snapshot source copies the state from its VolumeSnapshot instead
        }
        List<Future<List<ObjectNode>>> pending = new ArrayList<>();
        for (String owner : owners) {
            if (LABEL_VALUE.matcher(owner).matches()) { // a name that is no label value cannot be a label's value
                pending.add(async(() -> labelledPvcs(ns, BackendStorage.LABEL, owner)));
            }
            pending.add(async(() -> {
                ObjectNode legacy = pvc(ns, BackendStorage.legacyClaimName(owner));
                return legacy == null ? List.of() : List.of(legacy);
            }));
        }
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        for (var read : pending) {
            join(read).forEach(pvc -> byName.putIfAbsent(pvc.path("metadata").path("name").asText(), pvc));
        }
        return List.copyOf(byName.values());
    }

    private ObjectNode pvc(String ns, String name) {
        var pvc = kube.persistentVolumeClaims().inNamespace(ns).withName(name).get();
        return pvc == null ? null : Json.MAPPER.valueToTree(pvc);
    }

    private List<ObjectNode> labelledPvcs(String ns, String key, String value) {
        List<ObjectNode> out = new ArrayList<>();
        kube.persistentVolumeClaims().inNamespace(ns).withLabel(key, value).list().getItems()
                .forEach(pvc -> out.add(Json.MAPPER.valueToTree(pvc)));
        return out;
    }

    private <T> Future<T> async(Callable<T> read) {
        return reads.submit(read);
    }

    /** The read's result; its failure (a KubernetesClientException, say) is thrown as it was, for the retry logic. */
    private static <T> T join(Future<T> read) {
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
