package io.vmclone.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only one bridge replica watches VirtualMachineClones at a time: a Kubernetes Lease elects it (two
 * watchers would both announce every new clone). The other replicas still serve the intake topic and
 * HTTP; when the leader goes, one of them takes over within the lease duration.
 *
 * <p>fabric8's {@code LeaderElector} runs one election: once its leader misses the renew deadline (the API
 * server is away, or the Lease may no longer be written) it stops leading and ends for good. A replica must
 * stand again, so each ended election is followed by a new elector after a retry period, until close.
 */
final class WatchLeadership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchLeadership.class);

    private final KubernetesClient kube;
    private final BridgeSettings.Leadership settings;
    private final String identity;
    private final ExecutorService executor = Executors.newCachedThreadPool(io.vmclone.runtime.DaemonThreads.named("bridge-leader-election"));
    private final ScheduledExecutorService again = Executors.newSingleThreadScheduledExecutor(
            io.vmclone.runtime.DaemonThreads.named("bridge-leader-election-restart"));
    private volatile boolean leading;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger elections = new java.util.concurrent.atomic.AtomicInteger();
    /** The election running now; 0 while waiting to stand again. */
    private final java.util.concurrent.atomic.AtomicInteger current = new java.util.concurrent.atomic.AtomicInteger();
    private volatile CompletableFuture<?> election;

    WatchLeadership(KubernetesClient kube, BridgeSettings.Leadership settings, String identity) {
        this.kube = kube;
        this.settings = settings;
        this.identity = identity;
    }

    /** Runs {@code lead} each time this replica becomes the leader and {@code follow} each time it stops being it. */
    void start(Runnable lead, Runnable follow) {
        if (closed) {
            return;
        }
        int generation = elections.incrementAndGet();
        current.set(generation);
        election = new LeaderElectorBuilder(kube, executor).withConfig(config(generation, lead, follow)).build().start();
        election.whenComplete((ok, error) -> standAgain(generation, lead, follow, error == null ? "the election ended" : error.toString()));
    }

    /**
     * Stands in a new election after a retry period, once per ended election. Called when the elector's future
     * ends and when it stops leading: fabric8 does not complete the future when reading the Lease fails as it
     * lets go (API server away, Lease forbidden), so losing the lead alone must be enough. An ended elector runs
     * no loop any more, so nothing needs cancelling.
     */
    private void standAgain(int generation, Runnable lead, Runnable follow, String why) {
        if (closed || !current.compareAndSet(generation, 0)) {
            return;
        }
        long delay = settings.leaseDuration().dividedBy(5).toMillis();
        log.warn("bridge {}: leader election {} over ({}); standing again in {} ms", identity, generation, why, delay);
        try {
            again.schedule(() -> start(lead, follow), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private LeaderElectionConfig config(int generation, Runnable lead, Runnable follow) {
        String namespace = settings.namespace() != null ? settings.namespace()
                : kube.getNamespace() != null ? kube.getNamespace() : "default";
        Duration lease = settings.leaseDuration();
        return new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(namespace, settings.leaseName(), identity))
                .withLeaseDuration(lease)
                .withRenewDeadline(lease.multipliedBy(2).dividedBy(3))
                .withRetryPeriod(lease.dividedBy(5))
                .withReleaseOnCancel()
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            log.info("bridge {} leads: watching VirtualMachineClones (lease {}/{})", identity, namespace, settings.leaseName());
                            leading = true;
                            lead.run();
                        },
                        () -> {
                            log.info("bridge {} no longer leads: stops watching VirtualMachineClones", identity);
                            leading = false;
                            follow.run();
                            standAgain(generation, lead, follow, "lost the lead");
                        },
                        leader -> log.info("bridge leader is now {}", leader)))
                .build();
    }

    /** Whether this replica holds the Lease right now. */
    boolean leading() {
        return leading;
    }

    /** How many elections this replica has stood in (1 + the times it stood again after losing the Lease). */
    int elections() {
        return elections.get();
    }

    /**
     * Ready when this replica takes part in an election and, if it leads, {@code watching} holds: a leader
     * whose watch is not running would hold the Lease while no clone is requested.
     */
    boolean healthy(BooleanSupplier watching) {
        return !closed && (!leading || watching.getAsBoolean());
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> last = election;
        if (last != null) {
            last.cancel(true); // releases the lease, so another replica takes over at once
        }
        again.shutdownNow();
        executor.shutdownNow();
    }
}
