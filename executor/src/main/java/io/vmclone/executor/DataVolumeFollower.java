package io.vmclone.executor;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vmclone.runtime.EventSink;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the target VMs and DataVolumes of in-flight clones through two informers selected by the
 * clone-uid label, and publishes {@code progressed} (coalesced), then {@code succeeded} or {@code failed}
 * ({@link CloneVerdict}). A periodic tick catches stalls and flushes progress the coalescer held back.
 */
final class DataVolumeFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataVolumeFollower.class);

    /** A followed clone and what was last seen of it: the observations and when they last changed. */
    private record State(FollowedClone target, List<VolumeObservation> seen, long changedAt) {}

    private final KubernetesClient kube;
    private final Clock clock;
    private final Duration stallTimeout;
    private final ProgressCoalescer coalescer;
    private final Outcomes outcomes;
    private final Map<String, State> followed = new HashMap<>();
    private EventSink sink;
    private final List<String> namespaces;
    private List<SharedIndexInformer<GenericKubernetesResource>> dataVolumes = List.of();
    private List<SharedIndexInformer<GenericKubernetesResource>> virtualMachines = List.of();
    private ScheduledExecutorService ticker;

    /** @param namespaces the namespaces served ({@code VMCLONE_NAMESPACES}); empty = all, with cluster-wide watches */
    DataVolumeFollower(KubernetesClient kube, List<String> namespaces, Clock clock, Duration stallTimeout, ProgressCoalescer coalescer,
                       Outcomes outcomes) {
        this.kube = kube;
        this.namespaces = List.copyOf(namespaces);
        this.clock = clock;
        this.stallTimeout = stallTimeout;
        this.coalescer = coalescer;
        this.outcomes = outcomes;
    }

    /** Starts the informers (returns once their caches are filled) and the tick. */
    void start(EventSink sink) {
        this.sink = sink;
        dataVolumes = inform(KubeResources.DATA_VOLUME);
        virtualMachines = inform(KubeResources.VIRTUAL_MACHINE);
        ticker = Executors.newSingleThreadScheduledExecutor(io.vmclone.runtime.DaemonThreads.named("executor-follower-tick"));
        long period = Math.max(100, Math.min(1000, stallTimeout.toMillis() / 4));
        ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * One informer over all namespaces, or one per namespace served: with namespace-scoped RBAC (Roles in the
     * served namespaces only) a cluster-wide list is forbidden.
     */
    private List<SharedIndexInformer<GenericKubernetesResource>> inform(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind) {
        var resources = kube.genericKubernetesResources(kind);
        if (namespaces.isEmpty()) {
            return List.of(inform(resources.inAnyNamespace().withLabel(CloneLabels.CLONE_UID)));
        }
        return namespaces.stream().map(ns -> inform(resources.inNamespace(ns).withLabel(CloneLabels.CLONE_UID))).toList();
    }

    private SharedIndexInformer<GenericKubernetesResource> inform(
            io.fabric8.kubernetes.client.dsl.Informable<GenericKubernetesResource> watched) {
        return watched.inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource r) {
                        changed(r);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
                        changed(r);
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource r, boolean finalStateUnknown) {
                        changed(r);
                    }
                }, 0);
    }

    private static GenericKubernetesResource cached(List<SharedIndexInformer<GenericKubernetesResource>> informers, String key) {
        for (SharedIndexInformer<GenericKubernetesResource> i : informers) {
            GenericKubernetesResource found = i.getStore().getByKey(key);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Target VMs in the cluster made by some clone (for resuming after a restart). */
    List<GenericKubernetesResource> targetVms() {
        return virtualMachines.stream().flatMap(i -> i.getStore().list().stream()).toList();
    }

    /**
     * Starts following (a clone already followed keeps its state: a replayed plan changes nothing). A clone
     * that has ended is not followed again: a replayed plan applied while the first copy ended would
     * otherwise announce the same outcome twice ({@link #end} records the outcome under this lock).
     */
    synchronized void follow(FollowedClone clone) {
        String uid = clone.ref().uid();
        if (uid != null && !followed.containsKey(uid) && !outcomes.ended(uid)) {
            followed.put(uid, new State(clone, null, clock.millis()));
            evaluate(uid);
        }
    }

    /** The clones followed right now. */
    synchronized List<io.vmclone.schemas.CloneRef> followedClones() {
        return followed.values().stream().map(st -> st.target().ref()).toList();
    }

    synchronized void forget(String uid) {
        if (uid != null) {
            followed.remove(uid);
            coalescer.forget(uid);
        }
    }

    private void changed(GenericKubernetesResource r) {
        Map<String, String> labels = r.getMetadata().getLabels();
        if (labels != null && labels.get(CloneLabels.CLONE_UID) != null) {
            synchronized (this) {
                evaluate(labels.get(CloneLabels.CLONE_UID));
            }
        }
    }

    private synchronized void tick() {
        try {
            for (String uid : List.copyOf(followed.keySet())) {
                evaluate(uid);
            }
        } catch (RuntimeException e) {
            log.error("follower tick failed: {}", e.toString(), e); // never let the schedule die
        }
    }

    /** Called with the lock held. */
    private void evaluate(String uid) {
        State state = followed.get(uid);
        if (state == null || sink == null) {
            return;
        }
        FollowedClone f = state.target();
        String ns = f.ref().namespace();
        List<VolumeObservation> seen = f.volumes().stream()
                .map(v -> VolumeObservation.of(v, mine(cached(dataVolumes, ns + "/" + v.dataVolume()), uid)))
                .toList();
        long now = clock.millis();
        long changedAt = seen.equals(state.seen()) ? state.changedAt() : now;
        followed.put(uid, new State(f, seen, changedAt));
        boolean vmExists = mine(cached(virtualMachines, ns + "/" + f.targetName()), uid) != null;
        List<VolumeProgress> volumes = seen.stream().map(VolumeObservation::toProgress).toList();
        OffsetDateTime time = OffsetDateTime.now(clock);
        CloneVerdict verdict = CloneVerdict.decide(f.targetName(), seen, vmExists, Duration.ofMillis(now - changedAt), stallTimeout);
        if (verdict instanceof CloneVerdict.Succeeded) {
            end(uid, EventType.SUCCEEDED);
            sink.publish(CloneEvent.of(ExecutorHandler.STAGE, EventType.SUCCEEDED, new Succeeded(f.ref(), f.targetName(), volumes),
                    time, null));
        } else if (verdict instanceof CloneVerdict.Failed failed) {
            end(uid, EventType.FAILED);
            log.info("clone {} failed: {} {}", f.ref().key(), failed.reason(), failed.message());
            sink.publish(CloneEvent.of(ExecutorHandler.STAGE, EventType.FAILED,
                    new Failed(f.ref(), ExecutorHandler.STAGE, failed.reason(), failed.message(), f.targetName()), time, null));
        } else {
            String overall = CdiPhases.overall(volumes);
            List<String> phases = seen.stream().map(VolumeObservation::phase).toList();
            if (coalescer.shouldEmit(uid, phases, CdiPhases.percent(null, overall), now)) {
                sink.publish(CloneEvent.of(ExecutorHandler.STAGE, EventType.PROGRESSED, new Progressed(f.ref(),
                        Progressed.CLONING_VOLUMES, f.targetName(), overall, volumes), time, discriminator(overall, volumes)));
            }
        }
    }

    private void end(String uid, EventType outcome) {
        outcomes.record(uid, outcome);
        forget(uid);
    }

    /** Only objects labelled with this clone's uid count (a same-named stranger is not ours). */
    private static GenericKubernetesResource mine(GenericKubernetesResource r, String uid) {
        if (r == null || r.getMetadata().getLabels() == null || !uid.equals(r.getMetadata().getLabels().get(CloneLabels.CLONE_UID))) {
            return null;
        }
        return r;
    }

    /** Same progress, same event id: a replayed observation is recognisable as a duplicate. */
    private static String discriminator(String overall, List<VolumeProgress> volumes) {
        return overall.replace("%", "") + "-" + Integer.toHexString(volumes.hashCode());
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        dataVolumes.forEach(SharedIndexInformer::close);
        virtualMachines.forEach(SharedIndexInformer::close);
    }
}
