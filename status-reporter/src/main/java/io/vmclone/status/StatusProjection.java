package io.vmclone.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.events.Cancelled;
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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The clone's status as a pure fold over its ordered event log. An event changes nothing when its
 * offset is not after the last one applied (a replay), when it repeats the last applied event's id (a
 * re-emitted decision), when the clone is already terminal, or when it would move the phase backwards
 * (a late event). Times come from the events, never from a clock, so replaying the log is idempotent.
 * See docs/status.md.
 */
public final class StatusProjection {
    /** KubeVirt's reason on both conditions while a clone is under way. */
    public static final String STILL_PROCESSING = "Still processing";
    /** KubeVirt's reason on both conditions once the clone succeeded. */
    public static final String READY = "Ready";
    public static final String FAILED = "Failed";
    public static final String CANCELLED = "Cancelled";

    /** Reasons of the core/v1 Events recorded per transition (a failure uses its own machine-readable reason). */
    public static final String EVENT_REQUESTED = "CloneRequested";
    public static final String EVENT_PLANNED = "ClonePlanned";
    public static final String EVENT_CREATING_TARGET = "CreatingTargetVM";
    public static final String EVENT_CLONING_VOLUMES = "CloningVolumes";
    public static final String EVENT_SUCCEEDED = "CloneSucceeded";
    public static final String EVENT_CANCELLED = "CloneCancelled";

    /** A phase change, for the Kubernetes Event recorded on the clone. {@code from} is null for the first. */
    public record Transition(ClonePhase from, ClonePhase to, String reason, String message, String time) {
        public boolean warning() {
            return to == ClonePhase.Failed;
        }
    }

    /** The status after a run of events, and the phase changes on the way. */
    public record Outcome(CloneStatus status, List<Transition> transitions) {
        public boolean phaseChanged() {
            return !transitions.isEmpty();
        }
    }

    /**
     * Applies {@code events} (in log order) to {@code current}; empty when nothing a user can see changes,
     * so the caller need not write.
     *
     * @param generation the resource's {@code metadata.generation}, or null if unknown
     */
    public Optional<Outcome> fold(CloneStatus current, List<LoggedEvent> events, Long generation) {
        CloneStatus start = current == null ? empty() : current;
        CloneStatus status = start;
        List<Transition> transitions = new ArrayList<>();
        List<LoggedEvent> ordered = events.stream().sorted(Comparator.comparingLong(LoggedEvent::offset)).toList();
        for (LoggedEvent e : ordered) {
            Optional<Step> step = apply(status, e, generation);
            if (step.isPresent()) {
                status = step.get().status();
                step.get().transition().ifPresent(transitions::add);
            }
        }
        if (visible(status).equals(visible(start))) {
            return Optional.empty();
        }
        return Optional.of(new Outcome(status, List.copyOf(transitions)));
    }

    /** One event's effect: the next status, and the transition if the phase changed. */
    record Step(CloneStatus status, Optional<Transition> transition) {}

    Optional<Step> apply(CloneStatus current, LoggedEvent logged, Long generation) {
        CloneEvent event = logged.event();
        if (current.lastEventOffset() != null && logged.offset() <= current.lastEventOffset()) {
            return Optional.empty(); // already applied: the log position says so
        }
        if (event.id().equals(current.lastEventId())) {
            return Optional.empty(); // the same decision emitted again
        }
        ClonePhase from = current.phaseOrNull();
        if (from != null && from.terminal()) {
            return Optional.empty(); // a terminal phase is final
        }
        String time = event.time() == null ? null : event.time().format(DateTimeFormatter.ISO_INSTANT);
        Builder b = new Builder(current, time, generation);
        b.lastEventId = event.id();
        b.lastEventOffset = logged.offset();
        String reason;
        String message;
        switch (event.type()) {
            case REQUESTED -> {
                Requested r = event.data(Requested.class);
                b.phase = ClonePhase.Pending;
                if (r.spec() != null && r.spec().target() != null && r.spec().target().name() != null
                        && !r.spec().target().name().isEmpty()) {
                    b.targetName = r.spec().target().name();
                }
                if (b.observedGeneration == null) {
                    b.observedGeneration = r.generation();
                }
                reason = EVENT_REQUESTED;
                message = r.spec() == null || r.spec().source() == null ? "clone requested"
                        : "clone of " + r.spec().source().kind() + " " + r.spec().source().name() + " requested";
                b.underway(message);
            }
            case PLANNED -> {
                Planned p = event.data(Planned.class);
                b.phase = ClonePhase.Planned;
                b.targetName = p.targetName();
                List<ObjectNode> dvs = p.dataVolumes() == null ? List.of() : p.dataVolumes();
                b.volumes = dvs.stream().map(StatusProjection::plannedVolume).toList();
                b.progress = dvs.isEmpty() ? "N/A" : "0.00%";
                reason = EVENT_PLANNED;
                message = "planned target VM " + p.targetName() + " with " + dvs.size() + " DataVolume(s)";
                b.underway(message);
            }
            case PROGRESSED -> {
                Progressed p = event.data(Progressed.class);
                b.phase = phaseOf(p);
                if (p.targetName() != null) {
                    b.targetName = p.targetName();
                }
                if (p.progress() != null) {
                    b.progress = p.progress();
                }
                if (p.volumes() != null) {
                    b.volumes = volumes(p.volumes());
                }
                if (b.phase == ClonePhase.CreatingTargetVM) {
                    reason = EVENT_CREATING_TARGET;
                    message = "creating target VM " + b.targetName;
                } else {
                    reason = EVENT_CLONING_VOLUMES;
                    message = "target VM " + b.targetName + " created; cloning "
                            + (b.volumes == null ? 0 : b.volumes.size()) + " volume(s): " + (b.progress == null ? "N/A" : b.progress);
                }
                b.underway(message);
            }
            case SUCCEEDED -> {
                Succeeded s = event.data(Succeeded.class);
                b.phase = ClonePhase.Succeeded;
                b.targetName = s.targetName();
                b.progress = "100.0%";
                if (s.volumes() != null && !s.volumes().isEmpty()) {
                    b.volumes = volumes(s.volumes());
                }
                b.completionTime = time;
                reason = EVENT_SUCCEEDED;
                message = "target VM " + s.targetName() + " is ready";
                b.condition(CloneStatus.PROGRESSING, false, READY, message);
                b.condition(CloneStatus.READY, true, READY, message);
            }
            case REJECTED -> {
                Rejected r = event.data(Rejected.class);
                reason = r.reason();
                message = r.field() == null || (r.message() != null && r.message().startsWith(r.field()))
                        ? r.message() : r.field() + ": " + r.message();
                b.failed(reason, message, time);
            }
            case FAILED -> {
                Failed f = event.data(Failed.class);
                if (f.targetName() != null) {
                    b.targetName = f.targetName();
                }
                reason = f.reason();
                message = f.message();
                b.failed(reason, message, time);
            }
            case CANCELLED -> {
                Cancelled c = event.data(Cancelled.class);
                b.phase = ClonePhase.Cancelled;
                b.completionTime = time;
                reason = EVENT_CANCELLED;
                int removed = c.deleted() == null ? 0 : c.deleted().size();
                message = "clone cancelled; removed " + removed + " object(s) it had created";
                b.condition(CloneStatus.PROGRESSING, false, CANCELLED, message);
                b.condition(CloneStatus.READY, false, CANCELLED, message);
            }
            default -> {
                return Optional.empty();
            }
        }
        if (from != null && b.phase.rank() < from.rank()) {
            return Optional.empty(); // never backwards: a late event
        }
        Optional<Transition> transition = b.phase == from ? Optional.empty()
                : Optional.of(new Transition(from, b.phase, reason, message, time));
        return Optional.of(new Step(b.build(), transition));
    }

    /** The phase a {@code progressed} event reports ({@code CloningVolumes} unless it names an earlier one). */
    public static ClonePhase phaseOf(Progressed p) {
        return ClonePhase.parse(p.phase()).filter(ph -> !ph.terminal()).orElse(ClonePhase.CloningVolumes);
    }

    /** The status without the bookkeeping fields: what a user would notice changing. */
    private static CloneStatus visible(CloneStatus s) {
        return new CloneStatus(s.phase(), s.targetName(), s.progress(), s.volumes(), s.conditions(), s.startTime(),
                s.completionTime(), s.observedGeneration(), null, null);
    }

    private static VolumeStatus plannedVolume(ObjectNode dv) {
        String name = dv.path("metadata").path("name").asText();
        return new VolumeStatus(dv.path("metadata").path("annotations").path(CloneLabels.VOLUME).asText(name), name, "Pending", "N/A");
    }

    private static List<VolumeStatus> volumes(List<VolumeProgress> volumes) {
        return volumes.stream().map(v -> new VolumeStatus(v.volume(), v.dataVolume(), v.phase(), v.progress())).toList();
    }

    static CloneStatus empty() {
        return new CloneStatus(null, null, null, null, null, null, null, null, null, null);
    }

    /** Mutable only while one event's effect is computed. */
    private static final class Builder {
        ClonePhase phase;
        String targetName;
        String progress;
        List<VolumeStatus> volumes;
        final List<Condition> conditions;
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
            // The first event we see starts the clone (KubeVirt leaves its creationTime unset; we do better).
            startTime = s.startTime() != null ? s.startTime() : time;
            completionTime = s.completionTime();
            observedGeneration = generation != null ? generation : s.observedGeneration();
            this.time = time;
        }

        void underway(String message) {
            condition(CloneStatus.PROGRESSING, true, STILL_PROCESSING, message);
            condition(CloneStatus.READY, false, STILL_PROCESSING, message);
        }

        void failed(String reason, String message, String at) {
            phase = ClonePhase.Failed;
            completionTime = at;
            condition(CloneStatus.PROGRESSING, false, FAILED, message);
            condition(CloneStatus.READY, false, reason, message);
        }

        /** lastTransitionTime moves only when the condition's status flips (Kubernetes convention). */
        void condition(String type, boolean value, String reason, String message) {
            String status = value ? "True" : "False";
            Condition old = conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
            String since = old != null && status.equals(old.status()) && old.lastTransitionTime() != null
                    ? old.lastTransitionTime() : time;
            conditions.removeIf(c -> type.equals(c.type()));
            conditions.add(new Condition(type, status, reason, message, since, observedGeneration));
            conditions.sort(Comparator.comparing(Condition::type));
        }

        CloneStatus build() {
            Objects.requireNonNull(phase, "phase");
            return new CloneStatus(phase.name(), targetName, progress, volumes, List.copyOf(conditions), startTime, completionTime,
                    observedGeneration, lastEventId, lastEventOffset);
        }
    }
}
