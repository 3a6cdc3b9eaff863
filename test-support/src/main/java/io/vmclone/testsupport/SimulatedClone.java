package io.vmclone.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.schemas.kube.CdiEvents;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One DataVolume cloned by the simulated CDI, step after step on the simulator's scheduler: the target claim,
 * {@code CloneScheduled}; while a pod holds the source, CDI's CloneSourceInUse Warning and the wait in the Bound
 * condition, re-checked as CDI re-checks; then the strategy's phases ({@code N/A} unless host-assisted) to
 * {@code Succeeded 100.0%} — or, when the CSI driver refuses the clone, {@code CSICloneInProgress} for good.
 */
final class SimulatedClone {
    /** CDI re-checks a source in use every 2 s; the simulator, faster, so tests need not wait. */
    static final Duration RECHECK = Duration.ofMillis(250);
    /** CDI requeues a DataVolume whose reconcile failed (API server away, say); the simulator tries the step again. */
    static final Duration RETRY = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final ScheduledExecutorService scheduler;
    private final GenericKubernetesResource dv;
    private final SimulatedCloneMode mode;
    private final long stepMillis;
    private final int steps;
    private final Set<String> reportedUsers = new HashSet<>();
    private String claimUid;

    SimulatedClone(KubernetesClient client, ScheduledExecutorService scheduler, GenericKubernetesResource dv, SimulatedCloneMode mode,
                   Duration duration, int steps) {
        this.client = client;
        this.scheduler = scheduler;
        this.dv = dv;
        this.mode = mode;
        this.steps = steps;
        this.stepMillis = Math.max(1, duration.toMillis() / (steps + 1));
    }

    private String ns() {
        return dv.getMetadata().getNamespace();
    }

    private String name() {
        return dv.getMetadata().getName();
    }

    void start() {
        attempt(() -> {
            claimUid = CdiWrites.claim(client, dv, mode);
            CdiWrites.annotateCloneType(client, ns(), name(), mode.strategy());
            if (CdiWrites.status(client, ns(), name(), "CloneScheduled", "N/A", CdiWrites.claimPending(name()), CdiWrites.PENDING)) {
                attempt(this::waitForSource);
            }
        });
    }

    /** Runs one step on the scheduler, again after {@link #RETRY} for as long as it fails: every step is idempotent. */
    private void attempt(Runnable step) {
        scheduler.execute(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                scheduler.schedule(() -> attempt(step), RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void later(Runnable step, long millis) {
        scheduler.schedule(() -> attempt(step), millis, TimeUnit.MILLISECONDS);
    }

    /** CDI starts no clone while a pod holds the source claim: it says who, and looks again later. */
    private void waitForSource() {
        Optional<String> user = sourceUser();
        if (user.isEmpty()) {
            later(() -> copy(1), stepMillis);
            return;
        }
        String[] source = source();
        String message = CdiEvents.sourceInUseMessage(user.get().split("/")[0], user.get().split("/")[1], source[1]);
        if (reportedUsers.add(user.get())) {
            CdiWrites.warnOnClaim(client, ns(), name(), claimUid, CdiEvents.CLONE_SOURCE_IN_USE, message, user.get());
            if (!CdiWrites.status(client, ns(), name(), "CloneScheduled", "N/A", CdiWrites.claimPendingBecause(name(), message),
                    CdiWrites.PENDING)) {
                return;
            }
        }
        later(this::waitForSource, RECHECK.toMillis());
    }

    private void copy(int step) {
        if (mode.csiError() != null) {
            // The driver refused: the claim stays Pending and CDI's Bound condition carries the driver's words.
            String refusal = "[tmp-pvc-" + dv.getMetadata().getUid() + "] : failed to provision volume with StorageClass \""
                    + storageClass() + "\": " + mode.csiError();
            CdiWrites.warnOnClaim(client, ns(), name(), claimUid, "ProvisioningFailed", refusal, "csi");
            CdiWrites.status(client, ns(), name(), "CSICloneInProgress", "N/A", CdiWrites.claimPendingBecause(name(), refusal), CdiWrites.RUNNING);
            return;
        }
        if (step <= steps) {
            String progress = mode.measured() ? StorageSimulator.percent(100.0 * step / (steps + 1)) : "N/A";
            if (CdiWrites.status(client, ns(), name(), mode.copyingPhase(step == 1), progress, CdiWrites.claimPending(name()), CdiWrites.RUNNING)) {
                later(() -> copy(step + 1), stepMillis);
            }
            return;
        }
        CdiWrites.bind(client, ns(), name());
        CdiWrites.status(client, ns(), name(), "Succeeded", "100.0%", CdiWrites.claimBound(name()), CdiWrites.COMPLETED);
    }

    /** {@code [namespace, claim]} of a PVC source; null for other sources (a snapshot has no pod to wait for). */
    private String[] source() {
        if (dv.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec && spec.get("source") instanceof Map<?, ?> src
                && src.get("pvc") instanceof Map<?, ?> pvc && pvc.get("name") != null) {
            return new String[] {pvc.get("namespace") == null ? ns() : pvc.get("namespace").toString(), pvc.get("name").toString()};
        }
        return null;
    }

    private Optional<String> sourceUser() {
        String[] source = source();
        if (source == null) {
            return Optional.empty();
        }
        try {
            List<Pod> pods = client.pods().inNamespace(source[0]).list().getItems();
            List<GenericKubernetesResource> vmis = client.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE_INSTANCE)
                    .inNamespace(source[0]).list().getItems();
            return SourceUsers.podUsing(source[1], pods, vmis);
        } catch (RuntimeException e) {
            return Optional.empty(); // an API without these kinds: nobody uses the source
        }
    }

    private String storageClass() {
        if (dv.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec) {
            for (String key : new String[] {"storage", "pvc"}) {
                if (spec.get(key) instanceof Map<?, ?> claim && claim.get("storageClassName") instanceof String sc) {
                    return sc;
                }
            }
        }
        return "";
    }
}
