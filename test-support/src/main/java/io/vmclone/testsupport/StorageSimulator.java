package io.vmclone.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * SIMULATED storage: stands in for CDI in the sandbox and in tests, writing what CDI writes (containerized-data-importer
 * at c07cdb6). Every new DataVolume gets its target claim (the DataVolume's name and labels, CDI's
 * {@code cloneType} and, after a fallback, {@code cloneFallbackReason} annotations), {@code cloneType} on the
 * DataVolume too, and goes through CDI's phases over {@code duration}: {@code CloneScheduled}; while a running pod
 * (or VirtualMachineInstance, standing for its virt-launcher pod) mounts the source claim writable, a
 * {@code CloneSourceInUse} Warning naming it and the wait in the Bound condition; then the strategy's phases — by
 * default CDI's smart clone ({@code snapshot}: SnapshotForSmartCloneInProgress, CloneFromSnapshotSourceInProgress,
 * progress {@code N/A}), or {@code csi-clone} ({@code N/A}), or a host-assisted {@code copy} (CloneInProgress with
 * rising percentages) — to Succeeded, 100.0%. {@link SimulatedCloneMode} says how a StorageClass or DataVolume
 * annotation picks the strategy, a fallback, or a CSI driver that refuses the clone so that the claim is never
 * bound. On a storage class with {@code volumeBindingMode: WaitForFirstConsumer} a DataVolume without CDI's
 * immediate-binding annotation stays {@code PendingPopulation}, copying nothing, as CDI leaves it until a pod
 * consumes the claim. With {@link Duration#ZERO} every DataVolume is Succeeded at once with one write and nothing
 * else modelled (load runs).
 */
public final class StorageSimulator implements AutoCloseable {
    private final KubernetesClient client;
    private final Duration duration;
    private final int steps;
    private final ScheduledExecutorService scheduler;
    /** Instant copies (one write each, so no order to keep) run on several threads, as CDI's workers do. */
    private final java.util.concurrent.ExecutorService instant;
    private SharedIndexInformer<GenericKubernetesResource> informer;
    private final java.util.Set<String> scheduled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Storage classes found (one GET each, then cached: tests create theirs before cloning from them). */
    private final Map<String, StorageClass> storageClasses = new java.util.concurrent.ConcurrentHashMap<>();
    /** CDI's phase for a DataVolume whose claim waits for its first consumer (populators, CDI 1.57+). */
    public static final String PENDING_POPULATION = "PendingPopulation";

    /**
     * @param duration how long one DataVolume takes to copy; {@link Duration#ZERO} = instantly Succeeded
     * @param steps    how many progress updates along the way
     */
    public StorageSimulator(KubernetesClient client, Duration duration, int steps) {
        this.client = client;
        this.duration = duration;
        this.steps = Math.max(1, steps);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("storage-simulator"));
        this.instant = Executors.newFixedThreadPool(4, BackgroundThreads.named("storage-simulator-instant"));
    }

    public StorageSimulator start() {
        informer = client.genericKubernetesResources(KubeResources.DATA_VOLUME).inAnyNamespace()
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource dv) {
                        scheduleIfNew(dv);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {}

                    @Override
                    public void onDelete(GenericKubernetesResource dv, boolean deletedFinalStateUnknown) {
                        if (!duration.isZero()) {
                            scheduler.execute(() -> CdiWrites.deleteClaim(client, dv.getMetadata().getNamespace(),
                                    dv.getMetadata().getName(), dv.getMetadata().getUid()));
                        }
                    }
                });
        scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /**
     * Each new DataVolume once, whether the watch or the sweep saw it first. The sweep (a list every
     * second) covers a watch that silently stopped delivering, as the mock server's may under load.
     */
    private void scheduleIfNew(GenericKubernetesResource dv) {
        if (dv.getAdditionalProperties().get("status") == null && scheduled.add(dv.getMetadata().getUid())) {
            String ns = dv.getMetadata().getNamespace();
            String name = dv.getMetadata().getName();
            String uid = dv.getMetadata().getUid();
            if (waitsForConsumer(dv)) {
                // CDI on WaitForFirstConsumer storage: nothing is copied until a pod uses the claim
                instant.execute(() -> writeOrForget(uid, () -> setPhase(client, ns, name, PENDING_POPULATION, "N/A")));
            } else if (duration.isZero()) {
                instant.execute(() -> writeOrForget(uid, () -> setPhase(client, ns, name, "Succeeded", "100.0%")));
            } else {
                new SimulatedClone(client, scheduler, dv, modeOf(dv), duration, steps).start();
            }
        }
    }

    /** A write that failed (API server away) is forgotten, so that the next sweep schedules the DataVolume again. */
    private void writeOrForget(String uid, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            scheduled.remove(uid);
        }
    }

    /**
     * The DataVolume's annotations over its storage class's ({@link SimulatedCloneMode}), unless CDI must fall back to a
     * host-assisted copy because source and target differ as CDI checks: volume modes ({@code IncompatibleVolumeModes}) or
     * provisioners ({@code IncompatibleProvisioners}).
     */
    private SimulatedCloneMode modeOf(GenericKubernetesResource dv) {
        StorageClass sc = storageClass(storageClassOf(dv));
        String fallback = incompatibility(dv, sc);
        if (fallback != null) {
            return new SimulatedCloneMode(CdiAnnotations.STRATEGY_COPY, fallback, null);
        }
        return SimulatedCloneMode.of(dv.getMetadata().getAnnotations(), sc == null ? null : sc.getMetadata().getAnnotations());
    }

    /** CDI's reason to fall back when the source claim and the target differ, or null (also when the source is unknown). */
    private String incompatibility(GenericKubernetesResource dv, StorageClass target) {
        if (!(dv.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec) || !(spec.get("source") instanceof Map<?, ?> source)
                || !(source.get("pvc") instanceof Map<?, ?> pvc)) {
            return null; // snapshot and blank sources are left to the annotations
        }
        PersistentVolumeClaim claim;
        try {
            claim = client.persistentVolumeClaims().inNamespace(String.valueOf(pvc.get("namespace")))
                    .withName(String.valueOf(pvc.get("name"))).get();
        } catch (KubernetesClientException e) {
            return null;
        }
        if (claim == null) {
            return null;
        }
        String sourceMode = claim.getSpec().getVolumeMode() == null ? "Filesystem" : claim.getSpec().getVolumeMode();
        String targetMode = spec.get("storage") instanceof Map<?, ?> st && st.get("volumeMode") instanceof String m ? m : sourceMode;
        if (!sourceMode.equals(targetMode)) {
            return "IncompatibleVolumeModes";
        }
        StorageClass from = storageClass(claim.getSpec().getStorageClassName());
        if (from != null && target != null && !from.getProvisioner().equals(target.getProvisioner())) {
            return "IncompatibleProvisioners";
        }
        return null;
    }

    /**
     * As CDI decides: the DataVolume's storage class binds on first consumer and the DataVolume does not ask
     * for immediate binding ({@link CdiAnnotations#BIND_IMMEDIATE}).
     */
    private boolean waitsForConsumer(GenericKubernetesResource dv) {
        Map<String, String> annotations = dv.getMetadata().getAnnotations();
        if (annotations != null && "true".equals(annotations.get(CdiAnnotations.BIND_IMMEDIATE))) {
            return false;
        }
        StorageClass sc = storageClass(storageClassOf(dv));
        return sc != null && "WaitForFirstConsumer".equals(sc.getVolumeBindingMode());
    }

    private StorageClass storageClass(String name) {
        if (name == null) {
            return null;
        }
        StorageClass known = storageClasses.get(name);
        if (known != null) {
            return known;
        }
        try {
            StorageClass sc = client.storage().v1().storageClasses().withName(name).get();
            if (sc != null) {
                storageClasses.put(name, sc);
            }
            return sc;
        } catch (RuntimeException e) {
            return null; // an API without storage classes: binds at once, CDI's defaults
        }
    }

    @SuppressWarnings("unchecked")
    private static String storageClassOf(GenericKubernetesResource dv) {
        Object spec = dv.getAdditionalProperties().get("spec");
        if (!(spec instanceof Map<?, ?> s)) {
            return null;
        }
        for (String key : new String[] {"storage", "pvc"}) {
            if (s.get(key) instanceof Map<?, ?> claim && claim.get("storageClassName") instanceof String name) {
                return name;
            }
        }
        return null;
    }

    private void sweep() {
        try {
            client.genericKubernetesResources(KubeResources.DATA_VOLUME).inAnyNamespace().list().getItems()
                    .forEach(this::scheduleIfNew);
        } catch (RuntimeException e) {
            // the next sweep tries again
        }
    }

    /** CDI's progress format, e.g. {@code 45.20%}. */
    public static String percent(double pct) {
        return String.format(Locale.ROOT, "%.2f%%", pct);
    }

    /**
     * Writes a DataVolume's {@code status.phase} and {@code progress} as CDI would (used by tests to play
     * CDI by hand). A DataVolume deleted meanwhile is ignored.
     */
    public static void setPhase(KubernetesClient client, String ns, String name, String phase, String progress) {
        setStatus(client, ns, name, phase, progress, null);
    }

    public static void setStatus(KubernetesClient client, String ns, String name, String phase, String progress, String message) {
        for (int attempt = 0; attempt < 5; attempt++) {
            var resource = client.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(ns).withName(name);
            GenericKubernetesResource dv = resource.get();
            if (dv == null) {
                return;
            }
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("phase", phase);
            status.put("progress", progress);
            status.put("claimName", name);
            if (message != null) {
                status.put("conditions", java.util.List.of(Map.of("type", "Running", "status", "False",
                        "reason", phase, "message", message)));
            }
            dv.getAdditionalProperties().put("status", status);
            try {
                // CDI writes the status subresource (a real API server ignores status in a main-resource update).
                client.resource(dv).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        scheduler.shutdownNow();
        instant.shutdownNow();
    }
}
