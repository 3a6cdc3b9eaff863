package io.vmclone.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only one bridge replica watches VirtualMachineClones at a time: a Kubernetes Lease elects it (two
 * watchers would both announce every new clone). The other replicas still serve the intake topic and
 * HTTP; when the leader goes, one of them takes over within the lease duration.
 */
final class WatchLeadership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchLeadership.class);

    private final KubernetesClient kube;
    private final BridgeSettings.Leadership settings;
    private final String identity;
    private final ExecutorService executor = Executors.newCachedThreadPool(io.vmclone.runtime.DaemonThreads.named("bridge-leader-election"));
    private CompletableFuture<?> election;

    WatchLeadership(KubernetesClient kube, BridgeSettings.Leadership settings, String identity) {
        this.kube = kube;
        this.settings = settings;
        this.identity = identity;
    }

    /** Runs {@code lead} when this replica becomes the leader and {@code follow} when it stops being it. */
    synchronized void start(Runnable lead, Runnable follow) {
        String namespace = settings.namespace() != null ? settings.namespace()
                : kube.getNamespace() != null ? kube.getNamespace() : "default";
        Duration lease = settings.leaseDuration();
        election = new LeaderElectorBuilder(kube, executor).withConfig(new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(namespace, settings.leaseName(), identity))
                .withLeaseDuration(lease)
                .withRenewDeadline(lease.multipliedBy(2).dividedBy(3))
                .withRetryPeriod(lease.dividedBy(5))
                .withReleaseOnCancel()
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            log.info("bridge {} leads: watching VirtualMachineClones (lease {}/{})", identity, namespace,
                                    settings.leaseName());
                            lead.run();
                        },
                        () -> {
                            log.info("bridge {} no longer leads: stops watching VirtualMachineClones", identity);
                            follow.run();
                        },
                        leader -> log.info("bridge leader is now {}", leader)))
                .build()).build().start();
    }

    @Override
    public synchronized void close() {
        if (election != null) {
            election.cancel(true); // releases the lease, so another replica takes over at once
        }
        executor.shutdownNow();
    }
}
