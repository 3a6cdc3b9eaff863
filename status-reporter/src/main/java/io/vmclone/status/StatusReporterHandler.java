package io.vmclone.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Folds each clone's events into its VirtualMachineClone {@code status} and records a Kubernetes Event per transition. */
public final class StatusReporterHandler implements StageHandler {
    private static final Logger log = LoggerFactory.getLogger(StatusReporterHandler.class);

    private final StatusWriter writer;
    private final TransitionEvents transitionEvents;
    private final StatusProjection projection = new StatusProjection();

    public StatusReporterHandler(StageContext ctx) {
        var clones = KubeResources.clones(ctx.settings().cloneGroup());
        this.writer = new StatusWriter(ctx.kube(), clones);
        this.transitionEvents = new TransitionEvents(ctx.kube(), ctx.settings().cloneGroup(), ctx.clock());
    }

    @Override
    public Set<EventType> accepts() {
        return EnumSet.of(EventType.REQUESTED, EventType.PLANNED, EventType.REJECTED, EventType.PROGRESSED,
                EventType.SUCCEEDED, EventType.FAILED, EventType.CANCELLED);
    }

    @Override
    public List<CloneEvent> handle(CloneEvent event, RecordPosition position) {
        AtomicReference<StatusProjection.Transition> applied = new AtomicReference<>();
        boolean written = writer.update(event.cloneRef(), current -> {
            Long generation = current.getMetadata().getGeneration();
            var transition = projection.apply(StatusWriter.status(current), event, position, generation);
            if (transition.isEmpty()) {
                return null;
            }
            applied.set(transition.get());
            VirtualMachineClones.setStatus(current, transition.get().status());
            return current;
        });
        if (written && applied.get().phaseChanged()) {
            GenericKubernetesResource clone = writer.read(event.cloneRef()).orElse(null);
            if (clone != null) {
                transitionEvents.record(clone, applied.get());
            }
        } else if (!written) {
            log.debug("status of {} unchanged by {}", event.cloneRef().key(), event.id());
        }
        return List.of();
    }
}
