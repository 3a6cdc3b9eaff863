package io.vmclone.bridge.sets;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vmclone.runtime.DaemonThreads;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.schemas.sets.CloneSetSpec;
import io.vmclone.schemas.sets.CloneSets;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each VirtualMachineCloneSet's clones and keeps its status, from two informers (the sets, and the clones
 * labelled with a set) and one work queue keyed by set, so a set is reconciled by one thread at a time and a burst
 * of clone updates costs one status write. Runs on the bridge replica that leads, beside the clone watcher.
 *
 * <p>The clones carry an owner reference to their set, so on a cluster Kubernetes' garbage collector removes them
 * when the set is deleted. The controller does not wait for that: a set that is gone (deleted while no bridge
 * watched included) has its unfinished clones deleted here at once, which the clone watcher turns into their
 * cancellation; finished clones are left to the garbage collector, and their VMs stay.
 */
public final class CloneSetController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CloneSetController.class);
    /** Clone updates within this window are folded into one reconcile (one status write). */
    private static final long CLONE_UPDATE_DELAY_MS = 500;
    private static final long RETRY_DELAY_MS = 2_000;

    private final KubernetesClient kube;
    private final String cloneGroup;
    private final List<String> namespaces;
    private final Clock clock;
    private final CloneSetReconciler reconciler = new CloneSetReconciler();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("bridge-clone-sets"));
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final List<SharedIndexInformer<GenericKubernetesResource>> setInformers = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<GenericKubernetesResource>> cloneInformers = new CopyOnWriteArrayList<>();
    /** Both caches listed: before that a set would look as if it owned no clone and have them all made again. */
    private volatile boolean synced;
    /** Whether this leader watches sets at all (false while their CRD is not installed). */
    private volatile boolean started;

    public CloneSetController(KubernetesClient kube, String cloneGroup, List<String> namespaces, Clock clock) {
        this.kube = kube;
        this.cloneGroup = cloneGroup;
        this.namespaces = namespaces;
        this.clock = clock;
    }

    /**
     * Watches sets and their clones, then reconciles every set listed and every set a listed clone names. Does
     * nothing but warn when the cluster does not serve VirtualMachineCloneSets (their CRD not installed yet): the
     * clones themselves must not stop being served for that.
     */
    public synchronized void start() {
        close();
        if (!served()) {
            log.warn("bridge: VirtualMachineCloneSets are not served here (CRD {}.{} not installed: kubectl apply -k deploy/base); "
                    + "clone sets are ignored until a bridge starts watching with it", KubeResources.CLONE_SET.getPlural(),
                    KubeResources.CLONE_SET.getGroup());
            return;
        }
        var sets = kube.genericKubernetesResources(KubeResources.CLONE_SET);
        var clones = kube.genericKubernetesResources(KubeResources.clones(cloneGroup));
        ResourceEventHandler<GenericKubernetesResource> onSet = handler(s -> key(s.getMetadata().getNamespace(), s.getMetadata().getName()), 0);
        ResourceEventHandler<GenericKubernetesResource> onClone = handler(CloneSetController::ownerKey, CLONE_UPDATE_DELAY_MS);
        if (namespaces.isEmpty()) {
            setInformers.add(sets.inAnyNamespace().inform(onSet, 0));
            cloneInformers.add(clones.inAnyNamespace().withLabel(CloneSets.SET_LABEL).inform(onClone, 0));
        } else {
            for (String ns : namespaces) {
                setInformers.add(sets.inNamespace(ns).inform(onSet, 0));
                cloneInformers.add(clones.inNamespace(ns).withLabel(CloneSets.SET_LABEL).inform(onClone, 0));
            }
        }
        started = true;
        synced = true; // inform() returns once its first list is in the store
        setInformers.forEach(i -> i.getStore().list().forEach(s -> enqueue(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), 0)));
        cloneInformers.forEach(i -> i.getStore().list().forEach(c -> enqueue(ownerKey(c), 0)));
    }

    /** Whether the API server serves the set kind (discovery, which every authenticated caller may read). */
    private boolean served() {
        try {
            var resources = kube.getApiResources(KubeResources.CLONE_SET.getGroup() + "/" + KubeResources.CLONE_SET.getVersion());
            return resources != null && resources.getResources().stream()
                    .anyMatch(r -> KubeResources.CLONE_SET.getPlural().equals(r.getName()));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /** Whether every informer is connected (a leader that does not watch sets is not ready). */
    public boolean watching() {
        return !started || !setInformers.isEmpty() && setInformers.stream().allMatch(SharedIndexInformer::isWatching)
                && cloneInformers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    private ResourceEventHandler<GenericKubernetesResource> handler(Function<GenericKubernetesResource, String> keyOf, long delayMs) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource r) {
                enqueue(keyOf.apply(r), delayMs);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
                enqueue(keyOf.apply(r), delayMs);
            }

            @Override
            public void onDelete(GenericKubernetesResource r, boolean finalStateUnknown) {
                enqueue(keyOf.apply(r), delayMs);
            }
        };
    }

    private void enqueue(String key, long delayMs) {
        if (key == null || !queued.add(key)) {
            return;
        }
        try {
            worker.schedule(() -> {
                queued.remove(key);
                try {
                    reconcile(key);
                } catch (KubernetesClientException e) {
                    log.warn("bridge: clone set {}: {} (trying again in {} ms)", key, e.getMessage(), RETRY_DELAY_MS);
                    enqueue(key, RETRY_DELAY_MS);
                } catch (RuntimeException e) {
                    log.error("bridge: clone set {} could not be reconciled (trying again in {} ms)", key, RETRY_DELAY_MS, e);
                    enqueue(key, RETRY_DELAY_MS);
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            queued.remove(key); // stopped
        }
    }

    private void reconcile(String key) {
        if (!synced) {
            return; // start() enqueues every set once both caches are listed
        }
        String ns = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        GenericKubernetesResource set = setInformers.stream().map(i -> i.getStore().getByKey(key))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        List<GenericKubernetesResource> named = cloneInformers.stream().flatMap(i -> i.getStore().list().stream())
                .filter(c -> ns.equals(c.getMetadata().getNamespace()))
                .filter(c -> CloneSets.owner(c).map(o -> name.equals(o.getName())).orElse(false))
                .toList();
        String uid = set == null || set.getMetadata().getDeletionTimestamp() != null ? null : set.getMetadata().getUid();
        // Clones of a set that is gone, or of an earlier set of the same name.
        named.stream().filter(c -> !CloneSets.owner(c).map(OwnerReference::getUid).orElse("").equals(uid))
                .forEach(this::deleteIfUnfinished);
        if (uid == null) {
            return;
        }
        List<CloneSetReconciler.OwnedClone> owned = named.stream()
                .filter(c -> uid.equals(CloneSets.owner(c).map(OwnerReference::getUid).orElse(null)))
                .map(CloneSetController::owned).toList();
        CloneSetSpec spec;
        try {
            spec = CloneSets.spec(set);
        } catch (IllegalArgumentException e) {
            spec = null; // the reconciler reports it as an invalid spec
        }
        var view = new CloneSetReconciler.SetView(name, generation(set), spec, statusOrNull(set));
        var decision = reconciler.reconcile(view, owned, DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        for (var replica : decision.create()) {
            create(set, spec, replica);
        }
        if (decision.status() != null) {
            GenericKubernetesResource copy = Serialization.clone(set);
            CloneSets.setStatus(copy, decision.status());
            kube.genericKubernetesResources(KubeResources.CLONE_SET).inNamespace(ns).resource(copy).updateStatus();
            if (!decision.create().isEmpty()) {
                log.info("bridge: clone set {}: made {} clone(s) of {}", key, decision.create().size(), spec.replicaCount());
            }
        }
    }

    private void create(GenericKubernetesResource set, CloneSetSpec spec, CloneSetReconciler.Replica replica) {
        try {
            kube.resource(CloneSets.newClone(cloneGroup, set, spec, replica.index())).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Made already (its watch event is on its way), or a stranger's clone holds the name: the set's status
            // does not count a clone it does not own, so it stays short of Ready and the user sees which is missing.
        }
    }

    private void deleteIfUnfinished(GenericKubernetesResource clone) {
        CloneStatus status = VirtualMachineClones.status(clone);
        ClonePhase phase = status == null ? null : status.phaseOrNull();
        if (phase != null && phase.terminal()) {
            return;
        }
        log.info("bridge: clone {}/{} belongs to a clone set that is gone: deleting it, which cancels it",
                clone.getMetadata().getNamespace(), clone.getMetadata().getName());
        kube.resource(clone).delete();
    }

    private static CloneSetReconciler.OwnedClone owned(GenericKubernetesResource clone) {
        CloneStatus status = VirtualMachineClones.status(clone);
        CloneStatus.Condition ready = status == null ? null : status.condition(CloneStatus.READY);
        return new CloneSetReconciler.OwnedClone(clone.getMetadata().getName(), status == null ? null : status.phaseOrNull(),
                ready == null ? null : ready.reason(), ready == null ? null : ready.message());
    }

    private static io.vmclone.schemas.sets.CloneSetStatus statusOrNull(GenericKubernetesResource set) {
        try {
            return CloneSets.status(set);
        } catch (IllegalArgumentException e) {
            return null; // rewritten whole
        }
    }

    private static long generation(GenericKubernetesResource set) {
        Long g = set.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    private static String ownerKey(GenericKubernetesResource clone) {
        return CloneSets.owner(clone).map(o -> key(clone.getMetadata().getNamespace(), o.getName())).orElse(null);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** Stops watching (leadership lost); {@link #start()} may watch again. */
    @Override
    public synchronized void close() {
        synced = false;
        started = false;
        setInformers.forEach(SharedIndexInformer::close);
        cloneInformers.forEach(SharedIndexInformer::close);
        setInformers.clear();
        cloneInformers.clear();
    }

    /** Stops for good. */
    public void stop() {
        close();
        worker.shutdownNow();
    }
}
