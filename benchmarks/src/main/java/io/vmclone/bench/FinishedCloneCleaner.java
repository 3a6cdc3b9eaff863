package io.vmclone.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For long runs ({@code --cleanup}): once a clone is terminal, checks it has exactly one target VM and one
 * DataVolume, then deletes them and the clone (a terminal clone's deletion cancels nothing), and every few
 * seconds the namespace's Events. The mock API server scans all its objects on every request, so without
 * this a 10,000-clone run measures the mock, not the pipeline.
 */
final class FinishedCloneCleaner implements AutoCloseable {
    private record Finished(String name, String uid) {
    }

    private final KubernetesClient kube;
    private final String cloneGroup;
    private final String namespace;
    private final BlockingQueue<Finished> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger cleaned = new AtomicInteger();
    private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    FinishedCloneCleaner(KubernetesClient kube, String cloneGroup, String namespace) {
        this.kube = kube;
        this.cloneGroup = cloneGroup;
        this.namespace = namespace;
        this.thread = new Thread(this::run, "finished-clone-cleaner");
        thread.setDaemon(true);
        thread.start();
    }

    void finished(String name, String uid) {
        queue.add(new Finished(name, uid));
    }

    int cleaned() {
        return cleaned.get();
    }

    /** Clones that did not have exactly one VM and one DataVolume when they were cleaned. */
    List<String> problems() {
        return problems;
    }

    private void run() {
        long nextEventSweep = 0;
        while (running || !queue.isEmpty()) {
            try {
                Finished f = queue.poll(200, TimeUnit.MILLISECONDS);
                if (f != null) {
                    clean(f);
                }
                if (System.nanoTime() > nextEventSweep) {
                    kube.v1().events().inNamespace(namespace).delete();
                    nextEventSweep = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                problems.add("cleanup failed: " + e);
            }
        }
    }

    private void clean(Finished f) {
        var vms = kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(namespace)
                .withLabel(CloneLabels.CLONE_UID, f.uid());
        var dvs = kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(namespace)
                .withLabel(CloneLabels.CLONE_UID, f.uid());
        List<GenericKubernetesResource> vmList = vms.list().getItems();
        List<GenericKubernetesResource> dvList = dvs.list().getItems();
        if (vmList.size() != 1 || dvList.size() != 1) {
            problems.add(f.name() + ": " + vmList.size() + " target VM(s) and " + dvList.size() + " DataVolume(s), expected 1 and 1");
        }
        vmList.forEach(vm -> kube.resource(vm).delete());
        dvList.forEach(dv -> kube.resource(dv).delete());
        kube.genericKubernetesResources(KubeResources.clones(cloneGroup)).inNamespace(namespace).withName(f.name()).delete();
        cleaned.incrementAndGet();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.MINUTES.toMillis(5));
    }
}
