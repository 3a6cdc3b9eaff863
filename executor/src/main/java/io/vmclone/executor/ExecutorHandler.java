package io.vmclone.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.runtime.EventSink;
import io.vmclone.runtime.Failures;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The executor: applies a plan (target VM + DataVolumes) idempotently, then follows the DataVolumes
 * until they succeed or fail. On {@code cancel-requested} it removes what this clone created.
 */
public final class ExecutorHandler implements StageHandler {
    public static final String STAGE = "executor";

    private final StageContext ctx;
    private final TargetApplier applier;
    private final DataVolumeFollower follower;
    private final Clock clock;

    public ExecutorHandler(StageContext ctx) {
        this.ctx = ctx;
        this.clock = ctx.clock();
        this.applier = new TargetApplier(ctx.kube());
        this.follower = new DataVolumeFollower(ctx.kube(), clock, new ProgressCoalescer(5.0, 1000));
    }

    @Override
    public Set<EventType> accepts() {
        return EnumSet.of(EventType.PLANNED, EventType.CANCEL_REQUESTED);
    }

    @Override
    public void start(EventSink sink) {
        follower.start(sink);
    }

    @Override
    public void stop() {
        follower.close();
    }

    @Override
    public List<CloneEvent> handle(CloneEvent event, RecordPosition position) throws Exception {
        return switch (event.type()) {
            case PLANNED -> apply(event.data(Planned.class));
            case CANCEL_REQUESTED -> cancel(event.cloneRef());
            default -> List.of();
        };
    }

    private List<CloneEvent> apply(Planned plan) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        CloneRef clone = plan.cloneRef();
        List<String> dataVolumes;
        try {
            dataVolumes = applier.apply(clone, plan.virtualMachine(), plan.dataVolumes());
        } catch (TargetApplier.ApplyRefused e) {
            return List.of(CloneEvent.of(STAGE, EventType.FAILED,
                    new Failed(clone, STAGE, e.reason(), e.getMessage(), plan.targetName()), now, null));
        }
        if (dataVolumes.isEmpty()) {
            return List.of(CloneEvent.of(STAGE, EventType.SUCCEEDED, new Succeeded(clone, plan.targetName(), List.of()), now, null));
        }
        Map<String, String> volumeOf = new HashMap<>();
        for (ObjectNode dv : plan.dataVolumes()) {
            String name = dv.path("metadata").path("name").asText();
            volumeOf.put(name, dv.path("metadata").path("annotations").path(CloneLabels.VOLUME).asText(name));
        }
        List<CloneEvent> out = new ArrayList<>();
        out.add(CloneEvent.of(STAGE, EventType.PROGRESSED, new Progressed(clone, Progressed.CLONING_VOLUMES, plan.targetName(),
                "0.00%", null), now, "applied"));
        follower.follow(new DataVolumeFollower.FollowedClone(clone, plan.targetName(), dataVolumes, volumeOf));
        return out;
    }

    /** Deletes the target VM and DataVolumes carrying this clone's uid label, nothing else. */
    private List<CloneEvent> cancel(CloneRef clone) {
        follower.forget(clone.uid());
        List<String> deleted = new ArrayList<>();
        if (clone.uid() != null) {
            for (var kind : List.of(KubeResources.DATA_VOLUME, KubeResources.VIRTUAL_MACHINE)) {
                List<GenericKubernetesResource> mine = ctx.kube().genericKubernetesResources(kind).inNamespace(clone.namespace())
                        .withLabel(CloneLabels.CLONE_UID, clone.uid()).list().getItems();
                for (GenericKubernetesResource r : mine) {
                    ctx.kube().genericKubernetesResources(kind).inNamespace(clone.namespace()).withName(r.getMetadata().getName()).delete();
                    deleted.add(kind.getKind() + "/" + r.getMetadata().getName());
                }
            }
        }
        return List.of(CloneEvent.of(STAGE, EventType.CANCELLED, new Cancelled(clone, deleted), OffsetDateTime.now(clock), null));
    }

    @Override
    public List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
        if (event.type() != EventType.PLANNED) {
            return List.of();
        }
        Planned plan = event.data(Planned.class);
        return List.of(CloneEvent.of(STAGE, EventType.FAILED, new Failed(plan.cloneRef(), STAGE, Reasons.RETRIES_EXHAUSTED,
                "could not apply the plan: " + Failures.describe(error), plan.targetName()), OffsetDateTime.now(clock), null));
    }
}
