package io.vmclone.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micrometer.core.instrument.Counter;
import io.vmclone.runtime.Failures;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.runtime.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each clone's events into its VirtualMachineClone {@code status} and records a Kubernetes Event
 * per phase transition.
 *
 * <p>{@link #handle} only buffers. {@link #beforeCommit}, which the stage runtime calls before the batch's
 * offsets commit, writes every clone touched by the batch once, so several events of one clone in a batch
 * (e.g. {@code requested} + {@code planned}) make one write, and no phase change is ever committed
 * unwritten. Progress-only changes may wait up to {@value #ENV_PROGRESS_INTERVAL}'s interval; a timer
 * writes them. That write is advisory: if the process dies first, the status shows older progress until
 * the clone's next event (which always carries the full picture). See docs/status.md.
 */
public final class StatusReporterHandler implements StageHandler {
    private static final Logger log = LoggerFactory.getLogger(StatusReporterHandler.class);

    /** How long progress-only changes of one clone may wait, in ms (default 1000). */
    public static final String ENV_PROGRESS_INTERVAL = "VMCLONE_STATUS_PROGRESS_INTERVAL_MS";

    private final StatusWriter writer;
    private final TransitionEvents transitionEvents;
    private final StatusProjection projection = new StatusProjection();
    private final StatusBuffer buffer;
    private final Duration interval;
    private final Clock clock;
    private final Counter writes;
    private final Counter skipped;
    /** One flush at a time (the timer's and the batch's), so no clone is ever written by two threads at once. */
    private final Object flushing = new Object();
    /** Different clones' statuses are independent: a flush writes up to VMCLONE_CONCURRENCY of them at once. */
    private final java.util.concurrent.ExecutorService writers;
    private ScheduledExecutorService timer;

    public StatusReporterHandler(StageContext ctx) {
        var clones = KubeResources.clones(ctx.settings().cloneGroup());
        this.writer = new StatusWriter(ctx.kube(), clones);
        this.transitionEvents = new TransitionEvents(ctx.kube(), ctx.settings().cloneGroup(), ctx.clock());
        this.interval = Duration.ofMillis(ctx.settings().intSetting(ENV_PROGRESS_INTERVAL, 1000, 0, 60_000));
        this.buffer = new StatusBuffer(interval);
        this.clock = ctx.clock();
        this.writers = Executors.newFixedThreadPool(ctx.settings().concurrency(), io.vmclone.runtime.DaemonThreads.named("status-writer"));
        this.writes = ctx.metrics().counter("vmclone.status.writes", "stage", ctx.settings().service());
        this.skipped = ctx.metrics().counter("vmclone.status.skipped.gone", "stage", ctx.settings().service());
    }

    @Override
    public Set<EventType> accepts() {
        return EnumSet.of(EventType.REQUESTED, EventType.PLANNED, EventType.REJECTED, EventType.PROGRESSED,
                EventType.SUCCEEDED, EventType.FAILED, EventType.CANCELLED);
    }

    @Override
    public void start(EventSink sink) {
        timer = Executors.newSingleThreadScheduledExecutor(io.vmclone.runtime.DaemonThreads.named("status-progress-flush"));
        long tick = Math.max(20, interval.toMillis() / 5);
        timer.scheduleWithFixedDelay(() -> flushQuietly(true), tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<CloneEvent> handle(CloneEvent event, RecordPosition position) {
        CloneRef clone = event.cloneRef();
        if (clone == null || clone.uid() == null) {
            return List.of(); // no resource ever existed for it: there is no status to write
        }
        buffer.add(clone, new LoggedEvent(event, position));
        return List.of();
    }

    /** Writes everything that may not wait; a transient API failure rolls the batch back for a retry. */
    @Override
    public void beforeCommit() throws Exception {
        flush(false);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        flushQuietly(false); // on an orderly stop, progress still waiting is written too
        writers.shutdownNow();
        transitionEvents.close();
    }

    private void flushQuietly(boolean onlyWaiting) {
        try {
            flush(onlyWaiting);
        } catch (Exception e) {
            log.warn("status write failed, will retry: {}", Failures.describe(e));
        }
    }

    /** @param onlyWaiting true from the timer: the batch being handled is left to {@link #beforeCommit} */
    private void flush(boolean onlyWaiting) throws Exception {
        synchronized (flushing) {
            var now = clock.instant();
            var due = onlyWaiting ? buffer.takeWaited(now) : buffer.takeDue(now);
            Map<CloneRef, java.util.concurrent.Future<?>> running = new java.util.LinkedHashMap<>();
            for (Map.Entry<CloneRef, List<LoggedEvent>> clone : due.entrySet()) {
                running.put(clone.getKey(), writers.submit(() -> write(clone.getKey(), clone.getValue())));
            }
            Exception retry = null;
            for (Map.Entry<CloneRef, java.util.concurrent.Future<?>> written : running.entrySet()) {
                Exception failure = failureOf(written.getValue());
                if (failure == null) {
                    continue;
                }
                CloneRef clone = written.getKey();
                if (!Failures.isTransient(failure)) {
                    // A rejected write (403, 422) would fail forever; blocking every other clone helps nobody.
                    log.error("giving up on the status of {} ({} event(s)): {}", clone.key(), due.get(clone).size(),
                            Failures.describe(failure), failure);
                    buffer.forget(clone);
                    continue;
                }
                buffer.restore(clone, due.get(clone));
                retry = retry == null ? failure : retry;
            }
            if (retry != null) {
                throw retry;
            }
        }
    }

    /** The exception a write ended with, or null if it succeeded. */
    private static Exception failureOf(java.util.concurrent.Future<?> write) throws InterruptedException {
        try {
            write.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return Failures.unwrap(e);
        }
    }

    private void write(CloneRef clone, List<LoggedEvent> events) {
        AtomicReference<StatusProjection.Outcome> applied = new AtomicReference<>();
        StatusWriter.Result result = writer.update(clone, current -> {
            var outcome = projection.fold(StatusWriter.status(current), events, current.getMetadata().getGeneration());
            applied.set(outcome.orElse(null));
            if (outcome.isEmpty()) {
                return null;
            }
            VirtualMachineClones.setStatus(current, outcome.get().status());
            return current;
        });
        switch (result.kind()) {
            case GONE -> {
                skipped.increment();
                buffer.forget(clone);
                log.info("{} (uid {}) no longer exists: {} event(s) not written", clone.key(), clone.uid(), events.size());
            }
            case UNCHANGED -> log.debug("status of {} unchanged by {} event(s)", clone.key(), events.size());
            case WRITTEN -> {
                writes.increment();
                StatusProjection.Outcome outcome = applied.get();
                buffer.wrote(clone, outcome.status().phaseOrNull(), clock.instant());
                GenericKubernetesResource written = result.resource();
                outcome.transitions().forEach(t -> transitionEvents.record(written, t));
            }
        }
    }
}
