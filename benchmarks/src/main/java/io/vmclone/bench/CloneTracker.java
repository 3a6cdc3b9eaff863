package io.vmclone.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the VirtualMachineClones of one namespace (an informer, as a user's controller would) and
 * records, per clone, when the driver created it and when its status first showed a terminal phase.
 */
public final class CloneTracker implements AutoCloseable {
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final Map<String, Long> finished = new ConcurrentHashMap<>();
    private final Map<String, ClonePhase> outcome = new ConcurrentHashMap<>();
    /** Wall-clock twins of created/finished, to line up with the events' {@code time} (see HopTimes). */
    private final Map<String, Long> createdMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> finishedMillis = new ConcurrentHashMap<>();
    private final SharedIndexInformer<GenericKubernetesResource> informer;

    public CloneTracker(KubernetesClient kube, String cloneGroup, String namespace) {
        informer = kube.genericKubernetesResources(KubeResources.clones(cloneGroup)).inNamespace(namespace)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource clone) {
                        observe(clone);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource oldClone, GenericKubernetesResource clone) {
                        observe(clone);
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource clone, boolean deletedFinalStateUnknown) {}
                });
    }

    private volatile FinishedCloneCleaner cleaner;

    /** Hands every clone that turns terminal from now on to {@code cleaner}. */
    public void cleanUpWith(FinishedCloneCleaner cleaner) {
        this.cleaner = cleaner;
    }

    /** Call just before creating the clone. */
    public void creating(String name) {
        createdMillis.put(name, System.currentTimeMillis());
        created.put(name, System.nanoTime());
    }

    private void observe(GenericKubernetesResource clone) {
        long now = System.nanoTime();
        CloneStatus status = VirtualMachineClones.status(clone);
        ClonePhase phase = status == null ? null : status.phaseOrNull();
        if (phase != null && phase.terminal() && outcome.putIfAbsent(clone.getMetadata().getName(), phase) == null) {
            finished.put(clone.getMetadata().getName(), now);
            finishedMillis.put(clone.getMetadata().getName(), System.currentTimeMillis());
            FinishedCloneCleaner c = cleaner;
            if (c != null) {
                c.finished(clone.getMetadata().getName(), clone.getMetadata().getUid());
            }
        }
    }

    public Map<String, Long> createdMillis() {
        return createdMillis;
    }

    public Map<String, Long> finishedMillis() {
        return finishedMillis;
    }

    public int finishedCount() {
        return finished.size();
    }

    public long count(ClonePhase phase) {
        return outcome.values().stream().filter(p -> p == phase).count();
    }

    /** Latencies (created → terminal) of the finished clones, and first creation → last finish. */
    public Latencies latencies() {
        long[] nanos = finished.entrySet().stream().filter(e -> created.containsKey(e.getKey()))
                .mapToLong(e -> e.getValue() - created.get(e.getKey())).toArray();
        long first = created.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = finished.values().stream().mapToLong(Long::longValue).max().orElse(first);
        return Latencies.of(nanos, last - first);
    }

    @Override
    public void close() {
        informer.close();
    }
}
