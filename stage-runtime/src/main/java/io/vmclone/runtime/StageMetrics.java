package io.vmclone.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.vmclone.schemas.EventType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The stage loop's counters and timers (one set per stage); tests read them to see what happened. */
final class StageMetrics {
    final Counter transactions;
    final Counter aborts;
    final Counter skipped;
    final Counter retries;
    final Counter deadLettered;
    /** Dead letters that carry headers, size and digest instead of the original (it was too large). */
    final Counter deadLetteredDigest;
    /** Records whose processing failed in an unforeseen way (a bug): each still ended in a dead letter. */
    final Counter bugs;
    /** Give-up or rejection events that could not be made at all: the record ended with its dead letter alone. */
    final Counter outputsDropped;
    /** Events on the clone log from a source not allowed to emit their type: dead-lettered, not acted on. */
    final Counter forged;
    private final MeterRegistry registry;
    private final String stage;
    private final AtomicInteger assignedPartitions = new AtomicInteger();

    StageMetrics(MeterRegistry registry, String stage) {
        this.registry = registry;
        this.stage = stage;
        transactions = registry.counter("vmclone.stage.transactions", "stage", stage);
        aborts = registry.counter("vmclone.stage.aborts", "stage", stage);
        skipped = registry.counter("vmclone.stage.skipped", "stage", stage);
        retries = registry.counter("vmclone.stage.retries", "stage", stage);
        deadLettered = registry.counter("vmclone.stage.dead.lettered", "stage", stage);
        deadLetteredDigest = registry.counter("vmclone.stage.dead.lettered.digest", "stage", stage);
        bugs = registry.counter("vmclone.stage.record.errors", "stage", stage);
        outputsDropped = registry.counter("vmclone.stage.outputs.dropped", "stage", stage);
        forged = registry.counter("vmclone.stage.forged", "stage", stage);
        registry.gauge("vmclone.stage.assigned.partitions", List.of(Tag.of("stage", stage)),
                assignedPartitions);
    }

    Timer handled(EventType type, String outcome) {
        return Timer.builder("vmclone.stage.handle").description(MetricCatalogue.HELP.get("vmclone.stage.handle"))
                .tag("stage", stage).tag("type", type.slug()).tag("outcome", outcome)
                .serviceLevelObjectives(MetricCatalogue.BUCKETS.get("vmclone.stage.handle")).register(registry);
    }

    Counter produced(EventType type) {
        return registry.counter("vmclone.events.produced", "stage", stage, "type", type.slug());
    }

    void assigned(int count) {
        assignedPartitions.set(count);
    }
}
