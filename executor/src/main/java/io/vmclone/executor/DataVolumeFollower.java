package io.vmclone.executor;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vmclone.runtime.EventSink;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows the DataVolumes of in-flight clones (one informer, selected by the clone-uid label) and
 * publishes {@code progressed}, then {@code succeeded} or {@code failed}. Progress events are coalesced
 * by {@link ProgressCoalescer} so a burst of clones does not flood the log.
 */
public final class DataVolumeFollower implements AutoCloseable {
    private final KubernetesClient kube;
    private final Clock clock;
    private final ProgressCoalescer coalescer;
    private final Map<String, FollowedClone> followed = new ConcurrentHashMap<>();
    private EventSink sink;
    private SharedIndexInformer<GenericKubernetesResource> informer;

    /** One clone being followed: its identity, target and the DataVolume names it waits for. */
    record FollowedClone(CloneRef ref, String targetName, List<String> dataVolumes, Map<String, String> volumeOf) {}

    public DataVolumeFollower(KubernetesClient kube, Clock clock, ProgressCoalescer coalescer) {
        this.kube = kube;
        this.clock = clock;
        this.coalescer = coalescer;
    }

    public void start(EventSink sink) {
        this.sink = sink;
        informer = kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inAnyNamespace()
                .withLabel(CloneLabels.CLONE_UID)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource dv) {
                        changed(dv);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource oldDv, GenericKubernetesResource dv) {
                        changed(dv);
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource dv, boolean unknown) {}
                }, 0);
    }

    public void follow(FollowedClone clone) {
        followed.put(clone.ref().uid(), clone);
        evaluate(clone);
    }

    public void forget(String uid) {
        followed.remove(uid);
        coalescer.forget(uid);
    }

    public boolean following(String uid) {
        return followed.containsKey(uid);
    }

    private void changed(GenericKubernetesResource dv) {
        var labels = dv.getMetadata().getLabels();
        FollowedClone clone = labels == null ? null : followed.get(labels.get(CloneLabels.CLONE_UID));
        if (clone != null) {
            evaluate(clone);
        }
    }

    private synchronized void evaluate(FollowedClone f) {
        if (!followed.containsKey(f.ref().uid()) || informer == null) {
            return;
        }
        List<VolumeProgress> volumes = f.dataVolumes().stream().map(name -> {
            GenericKubernetesResource dv = informer.getStore().getByKey(f.ref().namespace() + "/" + name);
            Map<?, ?> status = dv == null ? null : (Map<?, ?>) dv.getAdditionalProperties().get("status");
            String phase = status == null ? "Pending" : String.valueOf(status.get("phase"));
            Object progress = status == null ? null : status.get("progress");
            return new VolumeProgress(f.volumeOf().getOrDefault(name, name), name, phase,
                    progress == null ? "N/A" : progress.toString());
        }).toList();
        OffsetDateTime now = OffsetDateTime.now(clock);
        var failed = volumes.stream().filter(v -> "Failed".equals(v.phase())).findFirst();
        if (failed.isPresent()) {
            forget(f.ref().uid());
            sink.publish(CloneEvent.of(ExecutorHandler.STAGE, EventType.FAILED, new Failed(f.ref(), ExecutorHandler.STAGE,
                    Reasons.VOLUME_CLONE_FAILED, "DataVolume " + failed.get().dataVolume() + " failed", f.targetName()), now, null));
            return;
        }
        if (volumes.stream().allMatch(v -> CdiPhases.done(v.phase()))) {
            forget(f.ref().uid());
            sink.publish(CloneEvent.of(ExecutorHandler.STAGE, EventType.SUCCEEDED, new Succeeded(f.ref(), f.targetName(), volumes), now, null));
            return;
        }
        String overall = CdiPhases.overall(volumes);
        if (coalescer.shouldEmit(f.ref().uid(), volumes, overall, clock.millis())) {
            sink.publish(CloneEvent.of(ExecutorHandler.STAGE, EventType.PROGRESSED, new Progressed(f.ref(),
                    Progressed.CLONING_VOLUMES, f.targetName(), overall, volumes), now, java.util.UUID.randomUUID().toString()));
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
