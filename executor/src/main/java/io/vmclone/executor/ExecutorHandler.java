package io.vmclone.executor;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.runtime.SettingsCatalogue;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.EventSink;
import io.vmclone.runtime.Failures;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.runtime.TransientFailure;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.validation.PlanInvariants;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor: applies a plan (target VM + DataVolumes) idempotently, then follows the DataVolumes until
 * they succeed, fail or stall. On {@code cancel-requested} it removes what the clone created. On start it
 * resumes following the clones that were in flight (docs/executor.md).
 */
public final class ExecutorHandler implements StageHandler {
    public static final String STAGE = SettingsCatalogue.EXECUTOR;
    /** Progress events: on a phase change, a move of 5 points, or at most once a second per clone. */
    static final double MIN_POINTS = 5.0;
    static final long MIN_INTERVAL_MILLIS = 1000;

    private static final Logger log = LoggerFactory.getLogger(ExecutorHandler.class);

    private final StageContext ctx;
    private final Clock clock;
    private final int concurrency;
    private final Outcomes outcomes = new Outcomes();
    private final TargetApplier applier;
    private final TargetCleaner cleaner;
    private final DataVolumeFollower follower;
    private EventSink sink;
    private int partitionCount;

    public ExecutorHandler(StageContext ctx) {
        this.ctx = ctx;
        this.clock = ctx.clock();
        this.concurrency = ctx.settings().concurrency();
        ExecutorSettings settings = ExecutorSettings.from(ctx.settings());
        ApiRetry retry = new ApiRetry(settings.apiAttempts(), settings.backoff());
        this.cleaner = new TargetCleaner(ctx.kube(), retry);
        this.applier = new TargetApplier(ctx.kube(), retry, cleaner);
        this.follower = new DataVolumeFollower(ctx.kube(), ctx.settings().namespaces(), clock, settings.stallTimeout(),
                new ProgressCoalescer(MIN_POINTS, MIN_INTERVAL_MILLIS), outcomes);
    }

    /** Clones are independent (each is keyed by its own names), so several are handled at once. */
    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public Set<EventType> accepts() {
        return EnumSet.of(EventType.PLANNED, EventType.CANCEL_REQUESTED);
    }

    /** Starts watching DataVolumes and VMs; which clones to follow is decided per assigned partition. */
    @Override
    public void start(EventSink sink) {
        this.sink = sink;
        follower.start(sink);
    }

    /**
     * Resumes the clones in flight on the partitions this instance was given: the log is read once per
     * rebalance to learn which of their clones already ended (so nothing is decided twice) and the plans of
     * those that did not. Clones of other partitions are another instance's, so replicas never follow the
     * same clone twice.
     */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        Set<Integer> mine = eventPartitions(partitions);
        if (mine.isEmpty()) {
            return;
        }
        EventLogReader reader = new EventLogReader(ctx.settings()).mustExist();
        partitionCount = reader.partitionCount();
        List<CloneEvent> history = reader.read(key -> true, mine::contains).stream()
                .map(EventLogReader.LoggedEvent::event).toList();
        List<GenericKubernetesResource> vms = follower.targetVms().stream()
                .filter(vm -> mine.contains(partitionOf(vm))).toList();
        Resumption resumption = Resumption.decide(history, vms);
        outcomes.recordAll(resumption.outcomes());
        // A clone this instance already ended has its outcome on the way (outbox or open transaction) even
        // if the log does not show it yet: following it again would only write the same outcome twice.
        List<FollowedClone> toFollow = resumption.toFollow().stream().filter(f -> !outcomes.ended(f.ref().uid())).toList();
        toFollow.forEach(follower::follow);
        if (!toFollow.isEmpty()) {
            log.info("resumed following {} clone(s) in flight on partitions {}: {}", toFollow.size(), mine,
                    toFollow.stream().map(f -> f.ref().key()).toList());
        }
    }

    /** Stops following the clones of partitions another instance now owns (it resumes them). */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        Set<Integer> lost = eventPartitions(partitions);
        if (lost.isEmpty() || partitionCount == 0) {
            return;
        }
        for (CloneRef ref : follower.followedClones()) {
            if (lost.contains(EventLogReader.partitionOf(ref.key(), partitionCount))) {
                follower.forget(ref.uid());
            }
        }
    }

    private Set<Integer> eventPartitions(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> tp.topic().equals(ctx.settings().topics().events()))
                .map(TopicPartition::partition).collect(Collectors.toSet());
    }

    /** The partition of the clone that made a target VM (namespace + clone-name label), -1 if unknown. */
    private int partitionOf(GenericKubernetesResource vm) {
        String name = CloneLabels.cloneNameOf(vm.getMetadata().getLabels(), vm.getMetadata().getAnnotations());
        return name == null || partitionCount == 0 ? -1
                : EventLogReader.partitionOf(vm.getMetadata().getNamespace() + "/" + name, partitionCount);
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
        CloneRef clone = plan.cloneRef();
        if (outcomes.ended(clone.uid())) {
            return List.of(); // a replay of a clone that already ended: its outcome stands
        }
        // Provenance before obedience: the plan must keep every invariant the planner builds in, or nothing is made.
        List<PlanInvariants.Violation> broken = PlanInvariants.check(plan);
        if (!broken.isEmpty()) {
            log.error("clone {}: refusing a plan that breaks the planner's invariants: {}", clone.key(), broken);
            return failed(clone, Reasons.INVALID_PLAN, "the plan breaks the planner's invariants, nothing was created: "
                    + broken.stream().map(PlanInvariants.Violation::toString).collect(Collectors.joining("; ")), plan.targetName());
        }
        FollowedClone followed = FollowedClone.of(plan);
        try {
            applier.apply(plan, followed);
        } catch (TargetApplier.ApplyRefused e) {
            return failed(clone, e.reason(), e.getMessage(), plan.targetName());
        } catch (TransientFailure e) {
            // The API server kept failing through every retry: give up on this clone, not the loop.
            return failed(clone, Reasons.RETRIES_EXHAUSTED, "could not apply the plan: " + e.getMessage(), plan.targetName());
        }
        follower.follow(followed);
        return List.of();
    }

    private List<CloneEvent> failed(CloneRef clone, String reason, String message, String target) {
        outcomes.record(clone.uid(), EventType.FAILED);
        follower.forget(clone.uid()); // it may have been resumed from the log before this plan was applied
        return List.of(CloneEvent.of(STAGE, EventType.FAILED, new Failed(clone, STAGE, reason, message, target),
                OffsetDateTime.now(clock), null));
    }

    /**
     * Deletes the target VM and DataVolumes carrying this clone's uid label, nothing else. After
     * {@code succeeded} the target belongs to the user: nothing is deleted and nothing is emitted.
     */
    private List<CloneEvent> cancel(CloneRef clone) throws TransientFailure {
        Optional<EventType> outcome = outcomes.of(clone.uid());
        if (outcome.isPresent() && outcome.get() != EventType.FAILED) {
            return List.of(); // succeeded (the target is the user's), or already cancelled/rejected
        }
        follower.forget(clone.uid());
        List<String> deleted = cleaner.deleteOwnedBy(clone);
        outcomes.record(clone.uid(), EventType.CANCELLED);
        log.info("clone {} cancelled, deleted {}", clone.key(), deleted);
        // Returned, not published: the runtime sends sink events (progress the follower saw before this
        // cancel) ahead of a record's outputs, and commits "cancelled" with this record's offset.
        return List.of(CloneEvent.of(STAGE, EventType.CANCELLED, new Cancelled(clone, deleted), OffsetDateTime.now(clock), null));
    }

    @Override
    public List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
        if (event.type() != EventType.PLANNED) {
            return List.of();
        }
        Planned plan = event.data(Planned.class);
        return failed(plan.cloneRef(), Failures.giveUpReason(error), "could not apply the plan: " + Failures.describe(error),
                plan.targetName());
    }
}
