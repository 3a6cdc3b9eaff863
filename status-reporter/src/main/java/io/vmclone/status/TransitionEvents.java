package io.vmclone.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a core/v1 Event on the VirtualMachineClone for each phase transition, as KubeVirt's controller does.
 * Like client-go's event recorder, it is best effort and off the critical path: Events are posted by one
 * background thread from a bounded queue (dropped, with a warning, if the API server falls that far
 * behind), so a status write never waits for them.
 */
final class TransitionEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransitionEvents.class);
    private static final int QUEUE = 10_000;

    private final KubernetesClient kube;
    private final String apiVersion;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.ThreadPoolExecutor poster = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(QUEUE),
            io.vmclone.runtime.DaemonThreads.named("status-transition-events"), (task, pool) -> dropped());

    /** One warning for the first drop and one per thousand after it: a flood of warnings would not help. */
    private void dropped() {
        long n = dropped.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            log.warn("dropped {} Kubernetes Event(s) so far: {} are waiting to be posted", n, QUEUE);
        }
    }

    TransitionEvents(KubernetesClient kube, String cloneGroup, Clock clock) {
        this.kube = kube;
        this.apiVersion = KubeResources.cloneApiVersion(cloneGroup);
        this.clock = clock;
    }

    void record(GenericKubernetesResource clone, StatusProjection.Transition t) {
        poster.execute(() -> post(clone, t));
    }

    private void post(GenericKubernetesResource clone, StatusProjection.Transition t) {
        var meta = clone.getMetadata();
        // The transition's own time (from the event), so a replay would write the same Event.
        String at = t.time() != null ? t.time() : clock.instant().toString();
        // Deterministic name: a replayed transition collides (409) instead of duplicating the Event.
        // A notice is named by its reason: recorded once per clone and reason, as a phase is once per clone.
        String name = eventName(meta.getName(), (t.notice() ? t.reason() : t.to().name()).toLowerCase(java.util.Locale.ROOT), meta.getUid());
        try {
            kube.v1().events().inNamespace(meta.getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(meta.getNamespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion(apiVersion).withKind(KubeResources.CLONE_KIND)
                    .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid()).endInvolvedObject()
                    .withType(t.warning() ? "Warning" : "Normal")
                    .withReason(t.reason())
                    .withMessage(t.message())
                    .withFirstTimestamp(at).withLastTimestamp(at).withCount(1)
                    .withNewSource().withComponent("vmclone-status-reporter").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // best effort, as Kubernetes' own event recorder
                log.warn("could not record event {} on {}: {}", t.reason(), meta.getName(), e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("could not record event {} on {}: {}", t.reason(), meta.getName(), e.toString());
        }
    }

    /** Posts what is queued (for a few seconds at most), then stops. */
    @Override
    public void close() {
        poster.shutdown();
        try {
            if (!poster.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("{} Kubernetes Event(s) not posted before stopping", poster.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code <clone>.<phase>.<uid prefix>}, at most 253 characters (an object name): for a clone name near that
     * limit the clone's part is shortened, never the part that makes the name unique.
     */
    static String eventName(String cloneName, String phase, String uid) {
        String suffix = "." + phase + "." + shortUid(uid);
        int room = 253 - suffix.length();
        String prefix = cloneName.length() <= room ? cloneName : cloneName.substring(0, room).replaceAll("[.-]+$", "");
        return prefix + suffix;
    }

    private static String shortUid(String uid) {
        String compact = uid == null ? "" : uid.replace("-", "");
        return compact.substring(0, Math.min(8, compact.length()));
    }
}
