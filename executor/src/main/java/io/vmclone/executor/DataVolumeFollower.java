package io.vmclone.executor;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
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
import io.vmclone.schemas.kube.CdiEvents;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the target VMs and DataVolumes of in-flight clones, and publishes {@code progressed} (coalesced),
 * then {@code succeeded} or {@code failed} ({@link CloneVerdict}). Everything is read from informers, never
 * a GET per clone: VMs, DataVolumes and CDI's target claims (CDI copies the DataVolume's labels onto its
 * claim) selected by the clone-uid label, and core Events selected by the reason CloneSourceInUse (CDI's
 * only word that a pod holds the source). A periodic tick catches stalls and flushes held-back progress.
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
    private List<SharedIndexInformer<PersistentVolumeClaim>> claims = List.of();
    private List<SharedIndexInformer<Event>> inUseEvents = List.of();
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
        dataVolumes = perNamespace(ns -> inform(kube.genericKubernetesResources(KubeResources.DATA_VOLUME), ns, this::changed));
        virtualMachines = perNamespace(ns -> inform(kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE), ns, this::changed));
        claims = perNamespace(ns -> inform(kube.persistentVolumeClaims(), ns, this::changed));
        inUseEvents = perNamespace(this::informInUseEvents);
        ticker = Executors.newSingleThreadScheduledExecutor(io.vmclone.runtime.DaemonThreads.named("executor-follower-tick"));
        long period = Math.max(100, Math.min(1000, stallTimeout.toMillis() / 4));
        ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * One informer over all namespaces ({@code null}), or one per namespace served: with namespace-scoped RBAC
     * (Roles in the served namespaces only) a cluster-wide list is forbidden.
     */
    private <T> List<T> perNamespace(java.util.function.Function<String, T> inform) {
        if (namespaces.isEmpty()) {
            return java.util.Collections.singletonList(inform.apply(null));
        }
        return namespaces.stream().map(inform).toList();
    }

    /** What this clone made (or CDI made for it, with its labels): selected by the clone-uid label. */
    private <T extends HasMetadata> SharedIndexInformer<T> inform(
            io.fabric8.kubernetes.client.dsl.MixedOperation<T, ?, ?> kind, String ns, Consumer<HasMetadata> onChange) {
        var scoped = ns == null ? kind.inAnyNamespace() : kind.inNamespace(ns);
        return inform(scoped.withLabel(CloneLabels.CLONE_UID), onChange);
    }

    /**
     * CloneSourceInUse Events (CDI records them on the target claim, or on the DataVolume): selected by reason, so
     * the cache holds only these. Optional: without the RBAC to read Events (an older deployment) the executor still
     * follows clones, and learns of a source in use from the DataVolume's conditions where CDI writes it there.
     */
    private SharedIndexInformer<Event> informInUseEvents(String ns) {
        var events = kube.v1().events();
        var scoped = ns == null ? events.inAnyNamespace() : events.inNamespace(ns);
        try {
            return inform(scoped.withField("reason", CdiEvents.CLONE_SOURCE_IN_USE), r -> eventChanged((Event) r));
        } catch (RuntimeException e) {
            log.warn("cannot watch CloneSourceInUse Events{}: {}; a source in use shows only where CDI writes it in a condition",
                    ns == null ? "" : " in " + ns, e.getMessage());
            return null;
        }
    }

    private <T extends HasMetadata> SharedIndexInformer<T> inform(io.fabric8.kubernetes.client.dsl.Informable<T> watched,
                                                                   Consumer<HasMetadata> onChange) {
        return watched.inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(T r) {
                        onChange.accept(r);
                    }

                    @Override
                    public void onUpdate(T old, T r) {
                        onChange.accept(r);
                    }

                    @Override
                    public void onDelete(T r, boolean finalStateUnknown) {
                        onChange.accept(r);
                    }
                }, 0);
    }

    private static <T> T cached(List<SharedIndexInformer<T>> informers, String key) {
        for (SharedIndexInformer<T> i : informers) {
            T found = i.getStore().getByKey(key);
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

    private void changed(HasMetadata r) {
        Map<String, String> labels = r.getMetadata().getLabels();
        if (labels != null && labels.get(CloneLabels.CLONE_UID) != null) {
            synchronized (this) {
                evaluate(labels.get(CloneLabels.CLONE_UID));
            }
        }
    }

    /** An Event carries no label of ours: the clones with a DataVolume of the name it is about are evaluated. */
    private synchronized void eventChanged(Event e) {
        if (e.getInvolvedObject() == null || !CdiEvents.CLONE_SOURCE_IN_USE.equals(e.getReason())) {
            return; // an API that ignores the field selector (the in-memory mock) sends every Event
        }
        String ns = e.getInvolvedObject().getNamespace() != null ? e.getInvolvedObject().getNamespace() : e.getMetadata().getNamespace();
        for (State st : List.copyOf(followed.values())) {
            if (st.target().ref().namespace().equals(ns) && st.target().dataVolumeNames().contains(e.getInvolvedObject().getName())) {
                evaluate(st.target().ref().uid());
            }
        }
    }

    /** The CloneSourceInUse Events recorded on an object named {@code ns/name} (the DataVolume, or its claim). */
    private List<VolumeObservation.InUseEvent> inUseEvents(String ns, String name) {
        List<VolumeObservation.InUseEvent> found = new java.util.ArrayList<>();
        for (SharedIndexInformer<Event> i : inUseEvents) {
            if (i == null) {
                continue;
            }
            for (Event e : i.getStore().list()) {
                var about = e.getInvolvedObject();
                if (about != null && CdiEvents.CLONE_SOURCE_IN_USE.equals(e.getReason()) && name.equals(about.getName())
                        && ns.equals(about.getNamespace() != null ? about.getNamespace() : e.getMetadata().getNamespace())) {
                    found.add(new VolumeObservation.InUseEvent(about.getKind(), about.getUid(), e.getMessage(), lastSeen(e)));
                }
            }
        }
        return found;
    }

    /** The latest of the times an Event may carry (core/v1 lastTimestamp, events/v1 eventTime and series). */
    private static Instant lastSeen(Event e) {
        Instant last = null;
        for (String t : new String[] {e.getLastTimestamp(), e.getEventTime() == null ? null : e.getEventTime().getTime(),
                e.getSeries() == null || e.getSeries().getLastObservedTime() == null ? null : e.getSeries().getLastObservedTime().getTime()}) {
            try {
                Instant at = t == null ? null : java.time.OffsetDateTime.parse(t).toInstant();
                last = at == null || (last != null && last.isAfter(at)) ? last : at;
            } catch (java.time.format.DateTimeParseException ignored) {
                // a time we cannot read orders first
            }
        }
        return last;
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
        List<VolumeObservation> seen = f.volumes().stream().map(v -> observe(ns, uid, v)).toList();
        long now = clock.millis();
        long changedAt = VolumeObservation.moved(state.seen(), seen) ? now : state.changedAt();
        followed.put(uid, new State(f, seen, changedAt));
        GenericKubernetesResource vm = mine(cached(virtualMachines, ns + "/" + f.targetName()), uid);
        boolean vmExists = vm != null;
        List<VolumeProgress> volumes = seen.stream().map(VolumeObservation::toProgress).toList();
        OffsetDateTime time = OffsetDateTime.now(clock);
        CloneVerdict verdict = CloneVerdict.decide(f.targetName(), seen, vmExists, Duration.ofMillis(now - changedAt), stallTimeout);
        if (verdict instanceof CloneVerdict.Succeeded) {
            if (!TargetStart.startIfAsked(kube, vm)) {
                return; // the API server refused or was away: the next tick tries again, the clone is not done before
            }
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
            // What a reader must see at once: a phase, the strategy CDI chose, a fallback, a wait beginning or ending.
            List<String> shape = volumes.stream().map(v -> v.phase() + "|" + v.strategy() + "|" + v.fallbackReason() + "|" + v.message()).toList();
            if (coalescer.shouldEmit(uid, shape, CdiPhases.movement(volumes), now)) {
                sink.publish(CloneEvent.of(ExecutorHandler.STAGE, EventType.PROGRESSED, new Progressed(f.ref(),
                        Progressed.CLONING_VOLUMES, f.targetName(), overall, volumes), time, discriminator(overall, volumes)));
            }
        }
    }

    private VolumeObservation observe(String ns, String uid, FollowedClone.Volume v) {
        String key = ns + "/" + v.dataVolume();
        return VolumeObservation.of(v, mine(cached(dataVolumes, key), uid), mine(cached(claims, key), uid),
                inUseEvents(ns, v.dataVolume()));
    }

    private void end(String uid, EventType outcome) {
        outcomes.record(uid, outcome);
        forget(uid);
    }

    /** Only objects labelled with this clone's uid count (a same-named stranger is not ours). */
    private static <T extends HasMetadata> T mine(T r, String uid) {
        if (r == null || r.getMetadata().getLabels() == null || !uid.equals(r.getMetadata().getLabels().get(CloneLabels.CLONE_UID))) {
            return null;
        }
        return r;
    }

    /** Same progress, same event id: a replayed observation is recognisable as a duplicate. */
    private static String discriminator(String overall, List<VolumeProgress> volumes) {
        return overall.replace("%", "").replace("/", "") + "-" + Integer.toHexString(volumes.hashCode());
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        for (List<? extends SharedIndexInformer<?>> informers : List.of(dataVolumes, virtualMachines, claims, inUseEvents)) {
            informers.stream().filter(java.util.Objects::nonNull).forEach(SharedIndexInformer::close);
        }
    }
}
