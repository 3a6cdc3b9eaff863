package io.vmclone.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the loop can make progress for reasons outside any record: the broker answers, and transactions
 * commit. An idle consumer does not notice a broker that went away (its polls just come back empty), so
 * after {@link #PROBE_EVERY} without contact the loop asks the group coordinator for its committed offsets.
 * Readiness is false while the broker does not answer or {@link #STALLED_AFTER} transactions in a row
 * aborted; {@code vmclone.stage.broker.reachable} (1/0) and {@code vmclone.stage.consecutive.aborts} say so.
 */
final class StageHealth {
    private static final Logger log = LoggerFactory.getLogger(StageHealth.class);
    static final Duration PROBE_EVERY = Duration.ofSeconds(5);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final int STALLED_AFTER = 3;

    private final AtomicInteger reachable = new AtomicInteger(1);
    private final AtomicInteger consecutiveAborts = new AtomicInteger();
    /** When the broker last answered, or a probe last failed (so a dead broker is probed once per interval). */
    private volatile long lastCheck = System.nanoTime();

    private final Duration probeEvery;

    StageHealth(MeterRegistry registry, String stage) {
        this(registry, stage, PROBE_EVERY);
    }

    /** @param probeEvery how long without contact before an idle loop probes (tests: zero) */
    StageHealth(MeterRegistry registry, String stage, Duration probeEvery) {
        this.probeEvery = probeEvery;
        Gauge.builder("vmclone.stage.broker.reachable", reachable, AtomicInteger::get)
                .description("1 while the stage's Kafka broker answers, 0 when the last contact failed").tag("stage", stage)
                .register(registry);
        Gauge.builder("vmclone.stage.consecutive.aborts", consecutiveAborts, AtomicInteger::get)
                .description("Transactions aborted in a row since the last commit").tag("stage", stage).register(registry);
    }

    /** Progress can be made: the broker answered and nothing keeps aborting. */
    boolean healthy() {
        return reachable.get() == 1 && consecutiveAborts.get() < STALLED_AFTER;
    }

    void committed() {
        consecutiveAborts.set(0);
        contact();
    }

    void aborted(Exception cause) {
        if (consecutiveAborts.incrementAndGet() == STALLED_AFTER) {
            log.error("{} transactions in a row aborted, reporting not ready: {}", STALLED_AFTER, cause.toString());
        }
    }

    /** Called when a poll found nothing to do: asks the coordinator if it has not been heard from for a while. */
    void probeIfDue(Consumer<?, ?> consumer) {
        if (System.nanoTime() - lastCheck < probeEvery.toNanos()) {
            return;
        }
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return; // not ready anyway, and a probe without partitions would not reach the coordinator
        }
        try {
            consumer.committed(assignment, PROBE_TIMEOUT);
            // Idle after aborts means nothing is left to retry (a rewound batch or requeued event is not idle):
            // the aborts are over, and an idle stage would otherwise stay not ready for want of a commit.
            committed();
        } catch (KafkaException e) { // TimeoutException among others; WakeupException is handled by the loop
            if (e instanceof org.apache.kafka.common.errors.WakeupException w) {
                throw w;
            }
            if (reachable.getAndSet(0) == 1) {
                log.error("the Kafka broker does not answer ({}), reporting not ready", e.toString());
            }
            lastCheck = System.nanoTime();
        }
    }

    private void contact() {
        lastCheck = System.nanoTime();
        if (reachable.getAndSet(1) == 0) {
            log.info("the Kafka broker answers again");
        }
    }
}
