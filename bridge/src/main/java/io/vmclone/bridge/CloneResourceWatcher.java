package io.vmclone.bridge;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vmclone.runtime.EventSink;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches VirtualMachineClone resources (all namespaces, or the configured ones) and turns each new
 * clone into exactly one {@code requested} (or {@code rejected}) event, and a deletion before the end
 * into {@code cancel-requested}. Duplicate watch events and resyncs are absorbed by uid; a clone that
 * already has a status was requested before (by this or an earlier bridge) and is not requested again.
 */
public final class CloneResourceWatcher implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CloneResourceWatcher.class);
    private final KubernetesClient kube;
    private final String group;
    private final List<String> namespaces;
    private final CloneRequestDecider decider;
    private final Clock clock;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    /**
     * Uids of clones deleted lately: a watch event still queued for one (an informer closed when leadership
     * moved) must not request it again. Bounded: uids are never reused, and such stragglers come at once.
     */
    private final Set<String> deleted = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(io.vmclone.runtime.BoundedMap.oldestInserted(100_000)));
    /** Clones rejected here: deleting one is not a cancellation of anything. */
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public CloneResourceWatcher(KubernetesClient kube, String group, List<String> namespaces, CloneRequestDecider decider, Clock clock) {
        this.kube = kube;
        this.group = group;
        this.namespaces = namespaces;
        this.decider = decider;
        this.clock = clock;
    }

    /**
     * Watches, after taking in what the event log says: clones it names as decided are never requested again,
     * and an unfinished one that is no longer in the cluster was deleted while no bridge watched (a restart, a
     * leader change, the API server away): its cancellation is requested now, once the watch has listed the
     * clones that exist.
     */
    public synchronized void start(EventSink sink, RequestedClones fromLog) {
        close(); // a replica that leads again starts afresh
        seen.addAll(fromLog.decided());
        var clones = kube.genericKubernetesResources(KubeResources.clones(group));
        ResourceEventHandler<GenericKubernetesResource> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource clone) {
                consider(clone, sink);
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldClone, GenericKubernetesResource clone) {
                consider(clone, sink);
            }

            @Override
            public void onDelete(GenericKubernetesResource clone, boolean deletedFinalStateUnknown) {
                cancelIfUnfinished(clone, sink);
            }
        };
        if (namespaces.isEmpty()) {
            informers.add(clones.inAnyNamespace().inform(handler, 0));
        } else {
            for (String ns : namespaces) {
                informers.add(clones.inNamespace(ns).inform(handler, 0));
            }
        }
        cancelDeletedUnseen(fromLog.unfinished(), sink); // inform() returns once the first list is in the store
    }

    private void cancelDeletedUnseen(Map<String, CloneRef> unfinished, EventSink sink) {
        Set<String> listed = new java.util.HashSet<>();
        informers.forEach(i -> i.getStore().list().forEach(c -> listed.add(c.getMetadata().getUid())));
        unfinished.forEach((uid, ref) -> {
            if (!listed.contains(uid) && served(ref.namespace()) && deleted.add(uid)) {
                log.info("bridge: clone {} (uid {}) was deleted while no bridge watched: requesting its cancellation", ref.key(), uid);
                sink.publish(CloneEvent.of(BridgeHandler.STAGE, EventType.CANCEL_REQUESTED, new CancelRequested(ref),
                        OffsetDateTime.now(clock), null));
            }
        });
    }

    private boolean served(String namespace) {
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    /** Whether every informer is connected to the API server (a leader that does not watch is not ready). */
    public boolean watching() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    private void consider(GenericKubernetesResource clone, EventSink sink) {
        String uid = clone.getMetadata().getUid();
        if (uid == null || clone.getMetadata().getDeletionTimestamp() != null || deleted.contains(uid)) {
            return;
        }
        CloneStatus status = VirtualMachineClones.status(clone);
        if (status != null && status.phase() != null) {
            seen.add(uid); // requested earlier (maybe by a previous bridge): never again
            return;
        }
        if (!seen.add(uid)) {
            return;
        }
        CloneEvent decision = decider.fromResource(clone, OffsetDateTime.now(clock));
        if (decision.type() == EventType.REJECTED) {
            rejected.add(uid);
        }
        sink.publish(decision);
    }

    private void cancelIfUnfinished(GenericKubernetesResource clone, EventSink sink) {
        String uid = clone.getMetadata().getUid();
        if (uid == null) {
            return; // not from an API server: every stored object has a uid
        }
        deleted.add(uid);
        seen.remove(uid); // the tombstone above keeps it from being requested again; seen stays as big as the live clones
        CloneStatus status = VirtualMachineClones.status(clone);
        ClonePhase phase = status == null ? null : status.phaseOrNull();
        if ((phase != null && phase.terminal()) || rejected.remove(uid)) {
            return;
        }
        CloneRef ref = VirtualMachineClones.ref(clone);
        sink.publish(CloneEvent.of(BridgeHandler.STAGE, EventType.CANCEL_REQUESTED, new CancelRequested(ref),
                OffsetDateTime.now(clock), null));
    }

    @Override
    public synchronized void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
