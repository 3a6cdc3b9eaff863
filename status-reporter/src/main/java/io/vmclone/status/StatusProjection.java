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
    /** CDI's progress while nothing is measured: CSI and snapshot clones until done, and a clone with nothing to copy. */
    public static final String NOT_AVAILABLE = "N/A";
    /** CDI's progress of a finished copy. */
    public static final String DONE = "100.0%";

    /** Reasons of the core/v1 Events recorded per transition (a failure uses its own machine-readable reason). */
    public static final String EVENT_REQUESTED = "CloneRequested";
    public static final String EVENT_PLANNED = "ClonePlanned";
    public static final String EVENT_CREATING_TARGET = "CreatingTargetVM";
    public static final String EVENT_CLONING_VOLUMES = "CloningVolumes";
    public static final String EVENT_SUCCEEDED = "CloneSucceeded";
    public static final String EVENT_CANCELLED = "CloneCancelled";

    /**
     * A phase change, for the Kubernetes Event recorded on the clone. {@code from} is null for the first. A
     * {@link #notice()} keeps the phase: CDI began holding a volume back (e.g. CloneSourceInUse), a Warning a
     * user should see in {@code kubectl describe} as CDI's own Warning is seen on the DataVolume.
     */
    public record Transition(ClonePhase from, ClonePhase to, String reason, String message, String time) {
        public boolean warning() {
            return to == ClonePhase.Failed || notice();
        }

        public boolean notice() {
            return from == to;
        }
    }

    /** The status after a run of events, and the phase changes (and notices) on the way. */
    public record Outcome(CloneStatus status, List<Transition> transitions) {
        public boolean phaseChanged() {
            return transitions.stream().anyMatch(t -> !t.notice());
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
                transitions.addAll(step.get().transitions());
            }
        }
        if (visible(status).equals(visible(start))) {
            return Optional.empty();
        }
        return Optional.of(new Outcome(status, List.copyOf(transitions)));
    }

    /** One event's effect: the next status, and the transition if the phase changed, then a notice if a wait began. */
    record Step(CloneStatus status, List<Transition> transitions) {}

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
        Note note = switch (event.type()) {
            case REQUESTED -> requested(b, event.data(Requested.class));
            case PLANNED -> planned(b, event.data(Planned.class));
            case PROGRESSED -> progressed(b, event.data(Progressed.class));
            case SUCCEEDED -> succeeded(b, event.data(Succeeded.class), time);
            case REJECTED -> rejected(b, event.data(Rejected.class), time);
            case FAILED -> failed(b, event.data(Failed.class), time);
            case CANCELLED -> cancelled(b, event.data(Cancelled.class), time);
            default -> null;
        };
        if (note == null) {
            return Optional.empty();
        }
        if (from != null && b.phase.rank() < from.rank()) {
            return Optional.empty(); // never backwards: a late event
        }
        List<Transition> transitions = new ArrayList<>();
        if (b.phase != from) {
            transitions.add(new Transition(from, b.phase, note.reason(), note.message(), time));
        }
        CloneStatus next = b.build();
        waitBegun(current, next).ifPresent(wait -> transitions.add(new Transition(b.phase, b.phase, wait.reason(), wait.message(), time)));
        return Optional.of(new Step(next, transitions));
    }

    /** The Progressing condition of {@code next} if it names a wait (a reason of CDI's) that {@code before} did not. */
    private static Optional<Condition> waitBegun(CloneStatus before, CloneStatus next) {
        Condition now = next.condition(CloneStatus.PROGRESSING);
        Condition then = before.condition(CloneStatus.PROGRESSING);
        boolean waiting = now != null && "True".equals(now.status()) && !STILL_PROCESSING.equals(now.reason());
        return waiting && (then == null || !Objects.equals(then.reason(), now.reason())) ? Optional.of(now) : Optional.empty();
    }

    /** What one event says, for the Kubernetes Event of the transition it may cause. */
    private record Note(String reason, String message) {}

    private static Note requested(Builder b, Requested r) {
        b.phase = ClonePhase.Pending;
        if (r.spec() != null && r.spec().target() != null && r.spec().target().name() != null
                && !r.spec().target().name().isEmpty()) {
            b.targetName = r.spec().target().name();
        }
        if (b.observedGeneration == null) {
            b.observedGeneration = r.generation();
        }
        String message = r.spec() == null || r.spec().source() == null ? "clone requested"
                : "clone of " + r.spec().source().kind() + " " + r.spec().source().name() + " requested";
        b.underway(message);
        return new Note(EVENT_REQUESTED, message);
    }

    private static Note planned(Builder b, Planned p) {
        b.phase = ClonePhase.Planned;
        b.targetName = p.targetName();
        List<ObjectNode> dvs = p.dataVolumes() == null ? List.of() : p.dataVolumes();
        b.volumes = dvs.stream().map(StatusProjection::plannedVolume).toList();
        b.progress = NOT_AVAILABLE; // CDI's word until it measures anything, and for a clone with nothing to copy
        String message = "planned target VM " + p.targetName() + " with " + dvs.size() + " DataVolume(s)";
        b.underway(message);
        return new Note(EVENT_PLANNED, message);
    }

    private static Note progressed(Builder b, Progressed p) {
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
        Note note = b.phase == ClonePhase.CreatingTargetVM ? new Note(EVENT_CREATING_TARGET, "creating target VM " + b.targetName)
                : new Note(EVENT_CLONING_VOLUMES, "target VM " + b.targetName + " created; cloning "
                        + (b.volumes == null ? 0 : b.volumes.size()) + " volume(s): "
                        + (b.progress == null ? NOT_AVAILABLE : b.progress) + strategies(b.volumes));
        Optional<String> waitReason = waitReason(b.volumes);
        if (waitReason.isPresent()) {
            b.underway(waitReason.get(), waiting(b.volumes)); // a wait is said, not a silent stall
        } else {
            b.underway(note.message());
        }
        return note;
    }

    private static Note succeeded(Builder b, Succeeded s, String time) {
        b.phase = ClonePhase.Succeeded;
        b.targetName = s.targetName();
        if (s.volumes() != null && !s.volumes().isEmpty()) {
            b.volumes = volumes(s.volumes());
        }
        // CDI's "done"; a clone with nothing to copy copied nothing, so its progress stays N/A
        b.progress = b.volumes == null || b.volumes.isEmpty() ? NOT_AVAILABLE : DONE;
        b.completionTime = time;
        String message = "target VM " + s.targetName() + " is ready";
        b.condition(CloneStatus.PROGRESSING, false, READY, message);
        b.condition(CloneStatus.READY, true, READY, message);
        return new Note(EVENT_SUCCEEDED, message);
    }

    private static Note rejected(Builder b, Rejected r, String time) {
        String message = r.field() == null || (r.message() != null && r.message().startsWith(r.field()))
                ? r.message() : r.field() + ": " + r.message();
        b.failed(r.reason(), message, time);
        return new Note(r.reason(), message);
    }

    private static Note failed(Builder b, Failed f, String time) {
        if (f.targetName() != null) {
            b.targetName = f.targetName();
        }
        b.failed(f.reason(), f.message(), time);
        return new Note(f.reason(), f.message());
    }

    private static Note cancelled(Builder b, Cancelled c, String time) {
        b.phase = ClonePhase.Cancelled;
        b.completionTime = time;
        int removed = c.deleted() == null ? 0 : c.deleted().size();
        String message = "clone cancelled; removed " + removed + " object(s) it had created";
        b.condition(CloneStatus.PROGRESSING, false, CANCELLED, message);
        b.condition(CloneStatus.READY, false, CANCELLED, message);
        return new Note(EVENT_CANCELLED, message);
    }

    /** The reason CDI holds the first held-back volume with (e.g. {@code CloneSourceInUse}), if one is held back. */
    static Optional<String> waitReason(List<VolumeStatus> volumes) {
        return volumes == null ? Optional.empty() : volumes.stream().map(VolumeStatus::reason).filter(Objects::nonNull).findFirst();
    }

    /** E.g. {@code CDI waits to clone volume rootdisk (DataVolume fedora-copy-rootdisk): pod apps/backup using PersistentVolumeClaim fedora-root}. */
    static String waiting(List<VolumeStatus> volumes) {
        return "CDI waits to clone " + volumes.stream().filter(v -> v.reason() != null)
                .map(v -> "volume " + v.name() + " (DataVolume " + v.dataVolume() + "): "
                        + (v.message() == null ? v.reason() : v.message()))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /** E.g. {@code  (rootdisk: snapshot; data: copy, fallback: No compatible volumesnapshotclass found)}; empty until CDI says. */
    static String strategies(List<VolumeStatus> volumes) {
        if (volumes == null || volumes.stream().allMatch(v -> v.strategy() == null && v.fallbackReason() == null)) {
            return "";
        }
        return " (" + volumes.stream().map(v -> v.name() + ": " + (v.strategy() == null ? "strategy not chosen yet" : v.strategy())
                + (v.fallbackReason() == null ? "" : ", fallback: " + v.fallbackReason()))
                .collect(java.util.stream.Collectors.joining("; ")) + ")";
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
        return volumes.stream().map(v -> new VolumeStatus(v.volume(), v.dataVolume(), v.phase(), v.progress(), v.strategy(),
                v.fallbackReason(), v.reason(), v.message())).toList();
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
            underway(STILL_PROCESSING, message);
        }

        void underway(String reason, String message) {
            condition(CloneStatus.PROGRESSING, true, reason, message);
            condition(CloneStatus.READY, false, reason, message);
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
