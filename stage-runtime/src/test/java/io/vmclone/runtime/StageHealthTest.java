package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class StageHealthTest {
    private static final TopicPartition TP = new TopicPartition("events", 0);

    @Test
    void abortsInARowMakeItUnhealthyUntilACommitOrAnIdleProbeThatReachesTheBroker() {
        StageHealth health = new StageHealth(new SimpleMeterRegistry(), "s", Duration.ZERO);
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(TP));
        consumer.commitSync(Map.of(TP, new OffsetAndMetadata(0)));

        for (int i = 0; i < StageHealth.STALLED_AFTER; i++) {
            assertThat(health.healthy()).isTrue();
            health.aborted(new TimeoutException("commit timed out"));
        }
        assertThat(health.healthy()).as("stalled").isFalse();
        health.committed();
        assertThat(health.healthy()).isTrue();

        for (int i = 0; i < StageHealth.STALLED_AFTER; i++) {
            health.aborted(new TimeoutException("commit timed out"));
        }
        health.probeIfDue(consumer);
        assertThat(health.healthy()).as("idle with the broker answering: nothing left that aborts").isTrue();
    }

    /** A consumer whose coordinator does not answer while {@link #down}, as a stopped broker's would. */
    private static final class Unreachable extends MockConsumer<String, byte[]> {
        volatile boolean down;

        Unreachable() {
            super("earliest");
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(java.util.Set<TopicPartition> partitions, Duration timeout) {
            if (down) {
                throw new TimeoutException("Timeout of " + timeout.toMillis() + "ms expired before the last committed offset was known");
            }
            return super.committed(partitions, timeout);
        }
    }

    @Test
    void aProbeThatTimesOutMakesItUnhealthyAndOneThatAnswersHealthyAgain() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StageHealth health = new StageHealth(registry, "s", Duration.ZERO);
        Unreachable consumer = new Unreachable();
        consumer.assign(List.of(TP));
        consumer.down = true;

        health.probeIfDue(consumer);
        assertThat(health.healthy()).isFalse();
        assertThat(registry.get("vmclone.stage.broker.reachable").gauge().value()).isZero();

        consumer.down = false;
        health.probeIfDue(consumer);
        assertThat(health.healthy()).isTrue();
        assertThat(registry.get("vmclone.stage.broker.reachable").gauge().value()).isEqualTo(1.0);
    }
}
