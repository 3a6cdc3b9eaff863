package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The log as it is when a decision is made: what was committed before the call has been handed over. */
@ExtendWith(KafkaBrokerExtension.class)
class EventLogFollowerTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private final EventCodec codec = new EventCodec();
    private final List<CloneEvent> seen = new CopyOnWriteArrayList<>();
    private StageSettings settings;
    private KafkaProducer<String, byte[]> producer;
    private EventLogFollower follower;

    @BeforeEach
    void setUp(KafkaBroker broker) {
        Map<String, String> env = StageSettings.isolatedEnv(broker.bootstrapServers(), "follower", 3);
        settings = StageSettings.from("test-stage", env);
        TopicProvisioner.ensure(settings);
        producer = new KafkaProducer<>(settings.kafkaCommon(), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        if (follower != null) {
            follower.close();
        }
        producer.close();
    }

    @Test
    void handsOverWhatTheLogHeldAtStartThenWhatIsCommittedBeforeEachCall() throws Exception {
        for (int i = 0; i < 20; i++) {
            send(cancelRequested("before-" + i));
        }
        send(cancelled("skipped"));
        follower = new EventLogFollower(settings, Set.of(EventType.CANCEL_REQUESTED), e -> seen.add(e.event())).start();
        await().atMost(BOUND).until(follower::caughtUp);
        assertThat(seen).hasSize(20).allMatch(e -> e.type() == EventType.CANCEL_REQUESTED);

        for (int round = 0; round < 5; round++) {
            send(cancelRequested("after-" + round));
            // No waiting loop: the call itself must not return before the event sent above is handed over.
            assertThat(follower.awaitCurrent(BOUND)).isTrue();
            String name = "after-" + round;
            assertThat(seen).anyMatch(e -> e.cloneRef().name().equals(name));
        }
        assertThat(seen).hasSize(25).noneMatch(e -> e.cloneRef().name().equals("skipped"));
    }

    @Test
    void manyCallersAtOnceAreAllAnswered() throws Exception {
        follower = new EventLogFollower(settings, Set.of(EventType.CANCEL_REQUESTED), e -> seen.add(e.event())).start();
        List<Thread> callers = new java.util.ArrayList<>();
        List<Boolean> answers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = "caller-" + i;
            send(cancelRequested(name)); // one sender: the callers below wait together, each for its own event
            Thread caller = new Thread(() ->
                    answers.add(follower.awaitCurrent(BOUND) && seen.stream().anyMatch(e -> e.cloneRef().name().equals(name))));
            caller.start();
            callers.add(caller);
        }
        for (Thread t : callers) {
            t.join(BOUND.toMillis());
        }
        assertThat(answers).hasSize(16).containsOnly(true);
    }

    @Test
    void aClosedFollowerAnswersNoRatherThanPretendingTheLogIsRead() {
        follower = new EventLogFollower(settings, Set.of(EventType.CANCEL_REQUESTED), e -> seen.add(e.event())).start();
        follower.close();
        assertThat(follower.awaitCurrent(Duration.ofSeconds(2))).isFalse();
    }

    private void send(CloneEvent event) throws Exception {
        producer.send(codec.toRecord(settings.topics().events(), event)).get();
    }

    private static CloneEvent cancelRequested(String name) {
        return CloneEvent.of("bridge", EventType.CANCEL_REQUESTED, new CancelRequested(new CloneRef("ns", name, "uid-" + name)),
                OffsetDateTime.now(), null);
    }

    private static CloneEvent cancelled(String name) {
        return CloneEvent.of("executor", EventType.CANCELLED, new Cancelled(new CloneRef("ns", name, "uid-" + name), List.of()),
                OffsetDateTime.now(), null);
    }
}
