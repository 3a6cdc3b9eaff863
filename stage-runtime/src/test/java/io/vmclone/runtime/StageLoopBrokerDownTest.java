package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.testsupport.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A stage that cannot make progress for a reason outside any record says so: with its broker gone, an idle
 * loop's polls just come back empty, so readiness and {@code vmclone.stage.broker.reachable} must come from
 * a probe. The loop itself keeps running (it is not the record's fault). Its own broker, as it is stopped.
 */
class StageLoopBrokerDownTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** Does nothing: the test is about the loop, not about records. */
    private static final class Idle implements StageHandler {
        @Override
        public Set<EventType> accepts() {
            return Set.of(EventType.CANCEL_REQUESTED);
        }

        @Override
        public List<CloneEvent> handle(CloneEvent event, RecordPosition position) {
            return List.of();
        }
    }

    @Test
    void aBrokerThatStopsAnsweringMakesTheStageNotReadyButDoesNotStopIt() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        StageLoop loop = null;
        Thread thread = null;
        try {
            Map<String, String> env = StageSettings.isolatedEnv(broker.bootstrapServers(), "down", 1);
            StageSettings settings = StageSettings.from("test-stage", env);
            TopicProvisioner.ensure(settings);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            loop = new StageLoop(settings, new Idle(), new io.vmclone.schemas.EventCodec(), registry);
            thread = new Thread(loop, "down-loop");
            thread.start();
            await().atMost(BOUND).until(loop::ready);
            assertThat(registry.get("vmclone.stage.broker.reachable").gauge().value()).isEqualTo(1.0);

            broker.close();

            StageLoop running = loop;
            await().atMost(BOUND).until(() -> !running.ready());
            assertThat(registry.get("vmclone.stage.broker.reachable").gauge().value()).isEqualTo(0.0);
            assertThat(loop.running()).as("an unreachable broker is no reason to stop").isTrue();
        } finally {
            if (loop != null) {
                loop.close();
                thread.join(40_000);
            }
        }
    }
}
