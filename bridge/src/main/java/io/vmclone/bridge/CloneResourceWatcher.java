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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches VirtualMachineClone resources (all namespaces, or the configured ones) and turns each new
 * clone into exactly one {@code requested} (or {@code rejected}) event, and a deletion before the end
 * into {@code cancel-requested}. Duplicate watch events and resyncs are absorbed by uid; a clone that
 * already has a status was requested before (by this or an earlier bridge) and is not requested again.
 */
public final class CloneResourceWatcher implements AutoCloseable {
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
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

    public CloneResourceWatcher(KubernetesClient kube, String group, List<String> namespaces, CloneRequestDecider decider, Clock clock) {
        this.kube = kube;
        this.group = group;
        this.namespaces = namespaces;
        this.decider = decider;
        this.clock = clock;
    }

    /** @param alreadyDecided uids requested or rejected before (from the event log): never requested again */
    public synchronized void start(EventSink sink, Set<String> alreadyDecided) {
        close(); // a replica that leads again starts afresh
        seen.addAll(alreadyDecided);
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
