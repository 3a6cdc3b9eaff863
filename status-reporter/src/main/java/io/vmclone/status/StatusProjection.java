package io.vmclone.status;

import io.vmclone.runtime.RecordPosition;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.CloneStatus.Condition;
import io.vmclone.schemas.kube.CloneStatus.VolumeStatus;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The clone's status as a pure fold over its ordered event log: {@code apply(status, event)} gives the
 * next status, or empty when the event changes nothing (a replay, a duplicate, a late event after a
 * terminal phase). Times come from the events, never from a clock, so replaying the log is idempotent.
 */
public final class StatusProjection {
    public static final String PROGRESSING_REASON = "Still processing";

    /** What a transition means for the Kubernetes event recorded on the clone. */
    public record Transition(CloneStatus status, ClonePhase from, ClonePhase to, String reason, String message) {
        public boolean phaseChanged() {
            return from != to;
        }
    }

    public Optional<Transition> apply(CloneStatus current, CloneEvent event, RecordPosition position, Long generation) {
        CloneStatus base = current == null ? empty() : current;
        if (base.lastEventOffset() != null && position != null && position.offset() <= base.lastEventOffset()) {
            return Optional.empty(); // already applied: the log position says so
        }
        ClonePhase from = base.phaseOrNull();
        if (from != null && from.terminal()) {
            return Optional.empty(); // a terminal phase is final: late and replayed events change nothing
        }
        String time = event.time() == null ? null : event.time().format(DateTimeFormatter.ISO_INSTANT);
        Builder b = new Builder(base, time, generation);
        b.lastEventId = event.id();
        b.lastEventOffset = position == null ? null : position.offset();
        String reason;
        String message;
        switch (event.type()) {
            case REQUESTED -> {
                Requested r = event.data(Requested.class);
                b.phase = ClonePhase.Pending;
                b.startTime = b.startTime == null ? time : b.startTime;
                if (r.spec() != null && r.spec().target() != null && r.spec().target().name() != null) {
                    b.targetName = r.spec().target().name();
                }
                reason = "Pending";
                message = "clone requested";
                b.progressing(true, PROGRESSING_REASON, message);
                b.ready(false, PROGRESSING_REASON, message);
            }
            case PLANNED -> {
                Planned p = event.data(Planned.class);
                b.phase = ClonePhase.Planned;
                b.targetName = p.targetName();
                b.volumes = p.dataVolumes().stream().map(dv -> new VolumeStatus(
                        dv.path("metadata").path("annotations").path(CloneLabels.VOLUME).asText(dv.path("metadata").path("name").asText()),
                        dv.path("metadata").path("name").asText(), "Pending", "N/A")).toList();
                b.progress = p.dataVolumes().isEmpty() ? null : "0.00%";
                reason = "Planned";
                message = "planned target " + p.targetName() + " with " + p.dataVolumes().size() + " DataVolume(s)";
                b.progressing(true, PROGRESSING_REASON, message);
                b.ready(false, PROGRESSING_REASON, message);
            }
            case PROGRESSED -> {
                Progressed p = event.data(Progressed.class);
                ClonePhase next = ClonePhase.parse(p.phase()).orElse(ClonePhase.CloningVolumes);
                if (from != null && next.rank() < from.rank()) {
                    return Optional.empty(); // never backwards
                }
                b.phase = next;
                if (p.targetName() != null) {
                    b.targetName = p.targetName();
                }
                if (p.progress() != null) {
                    b.progress = p.progress();
                }
                if (p.volumes() != null) {
                    b.volumes = volumes(p.volumes());
                }
                reason = next == ClonePhase.CreatingTargetVM ? "CreatingTargetVM" : "CloningVolumes";
                message = next == ClonePhase.CreatingTargetVM ? "creating target VM " + b.targetName
                        : "cloning volumes: " + (b.progress == null ? "N/A" : b.progress);
                b.progressing(true, PROGRESSING_REASON, message);
                b.ready(false, PROGRESSING_REASON, message);
            }
            case SUCCEEDED -> {
                Succeeded s = event.data(Succeeded.class);
                b.phase = ClonePhase.Succeeded;
                b.targetName = s.targetName();
                b.progress = "100.0%";
                if (s.volumes() != null) {
                    b.volumes = volumes(s.volumes());
                }
                b.completionTime = time;
                reason = "Succeeded";
                message = "target VM " + s.targetName() + " is ready";
                b.progressing(false, "Ready", message);
                b.ready(true, "Ready", message);
            }
            case REJECTED -> {
                Rejected r = event.data(Rejected.class);
                b.phase = ClonePhase.Failed;
                b.completionTime = time;
                reason = r.reason();
                message = r.field() == null ? r.message() : r.field() + ": " + r.message();
                b.progressing(false, "Failed", message);
                b.ready(false, reason, message);
            }
            case FAILED -> {
                Failed f = event.data(Failed.class);
                b.phase = ClonePhase.Failed;
                b.completionTime = time;
                if (f.targetName() != null) {
                    b.targetName = f.targetName();
                }
                reason = f.reason();
                message = f.message();
                b.progressing(false, "Failed", message);
                b.ready(false, reason, message);
            }
            case CANCELLED -> {
                b.phase = ClonePhase.Cancelled;
                b.completionTime = time;
                reason = "Cancelled";
                message = "clone cancelled; partial objects removed";
                b.progressing(false, "Cancelled", message);
                b.ready(false, "Cancelled", message);
            }
            default -> {
                return Optional.empty();
            }
        }
        if (from != null && b.phase.rank() < from.rank()) {
            return Optional.empty();
        }
        return Optional.of(new Transition(b.build(), from, b.phase, reason, message));
    }

    private static List<VolumeStatus> volumes(List<VolumeProgress> volumes) {
        return volumes.stream().map(v -> new VolumeStatus(v.volume(), v.dataVolume(), v.phase(), v.progress())).toList();
    }

    private static CloneStatus empty() {
        return new CloneStatus(null, null, null, null, null, null, null, null, null, null);
    }

    /** Mutable only while one transition is computed. */
    private static final class Builder {
        ClonePhase phase;
        String targetName;
        String progress;
        List<VolumeStatus> volumes;
        List<Condition> conditions;
        String startTime;
        String completionTime;
        Long observedGeneration;
        String lastEventId;
        Long lastEventOffset;
        private final String time;

        Builder(CloneStatus s, String time, Long generation) {
            phase = s.phaseOrNull();
            targetName = s.targetName();
            progress = s.progress();
            volumes = s.volumes();
            conditions = s.conditions() == null ? new ArrayList<>() : new ArrayList<>(s.conditions());
            startTime = s.startTime();
            completionTime = s.completionTime();
            observedGeneration = generation != null ? generation : s.observedGeneration();
            this.time = time;
        }

        void progressing(boolean status, String reason, String message) {
            condition(CloneStatus.PROGRESSING, status, reason, message);
        }

        void ready(boolean status, String reason, String message) {
            condition(CloneStatus.READY, status, reason, message);
        }

        /** lastTransitionTime moves only when the condition's status flips (Kubernetes convention). */
        private void condition(String type, boolean value, String reason, String message) {
            String status = value ? "True" : "False";
            Condition old = conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
            String since = old != null && status.equals(old.status()) ? old.lastTransitionTime() : time;
            Condition next = new Condition(type, status, reason, message, since, observedGeneration);
            conditions.removeIf(c -> type.equals(c.type()));
            conditions.add(next);
            conditions.sort(java.util.Comparator.comparing(Condition::type));
        }

        CloneStatus build() {
            return new CloneStatus(phase.name(), targetName, progress, volumes, List.copyOf(conditions), startTime, completionTime,
                    observedGeneration, lastEventId, lastEventOffset);
        }
    }
}
