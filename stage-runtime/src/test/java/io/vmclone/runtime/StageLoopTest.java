package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one stage loop, against a real broker: transactional hand-off, type filtering, retries, dead letters. */
@ExtendWith(KafkaBrokerExtension.class)
class StageLoopTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private final EventCodec codec = new EventCodec();
    private StageSettings settings;
    private StageLoop loop;
    private Thread thread;
    private io.vmclone.testsupport.MockCluster cluster;

    @BeforeEach
    void settings(KafkaBroker broker) {
        Map<String, String> env = StageSettings.isolatedEnv(broker.bootstrapServers(), "loop", 2);
        env.put(StageSettings.ENV_MAX_BACKOFF, "50");
        settings = StageSettings.from("test-stage", env);
        TopicProvisioner.ensure(settings);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.close();
            thread.join(10_000);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Answers each cancel-requested with a cancelled; counts calls; optionally fails transiently first. */
    private static final class Canceller implements StageHandler {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> seenIds = Collections.synchronizedList(new ArrayList<>());
        volatile int transientFailuresLeft;
        volatile boolean alwaysFail;
        /** Thrown by every call when set: an Error a record can cause (deep input, a broken class). */
        volatile Error alwaysError;
        /** How many (long) names its "cancelled" lists as deleted: enough make the event too large for the log. */
        volatile int deletedNames;
        /** The API server {@link #slowClone}'s calls read from (one GET each); the test makes it answer late. */
        volatile io.fabric8.kubernetes.client.KubernetesClient slowApi;
        /** Only this clone's calls are slow and fail (transientFailuresLeft); null = every clone's fail. */
        volatile String slowClone;

        @Override
        public Set<EventType> accepts() {
            return Set.of(EventType.CANCEL_REQUESTED);
        }

        @Override
        public List<CloneEvent> handle(CloneEvent event, RecordPosition position) throws Exception {
            calls.incrementAndGet();
            seenIds.add(event.id());
            boolean slow = slowClone == null || slowClone.equals(event.cloneRef().name());
            if (slow && slowApi != null) {
                slowApi.namespaces().withName("slow").get();
            }
            if (alwaysFail) {
                throw new IllegalStateException("bug in the handler");
            }
            if (alwaysError != null) {
                throw alwaysError;
            }
            if (slow && transientFailuresLeft > 0) {
                transientFailuresLeft--;
                throw new TransientFailure("API server said 503");
            }
            List<String> deleted = java.util.stream.IntStream.range(0, deletedNames)
                    .mapToObj(i -> "DataVolume/" + event.cloneRef().name() + "-volume-with-a-long-name-" + i).toList();
            return List.of(CloneEvent.of("test-stage", EventType.CANCELLED, new Cancelled(event.cloneRef(), deleted),
                    event.time(), null));
        }

        @Override
        public List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
            return List.of(CloneEvent.of("test-stage", EventType.FAILED, new io.vmclone.schemas.events.Failed(event.cloneRef(),
                    "test-stage", Failures.giveUpReason(error), error.getMessage(), null), event.time(), null));
        }
    }

    private void startLoop(StageHandler handler) {
        loop = new StageLoop(settings, handler, codec, new SimpleMeterRegistry());
        thread = new Thread(loop, "test-loop");
        thread.start();
        await().atMost(BOUND).until(loop::ready);
    }

    @Test
    void answersInTheSameTransactionAndSkipsTypesItDoesNotHandleWithoutDecoding() throws Exception {
        Canceller handler = new Canceller();
        startLoop(handler);
        CloneRef clone = new CloneRef("ns", "a", "uid-a");
        send(codec.toRecord(settings.topics().events(), cancelRequested(clone)));
        // Same type header as a type we do not handle, with a payload that would not even decode.
        ProducerRecord<String, byte[]> foreign = new ProducerRecord<>(settings.topics().events(), "ns/b", "not json".getBytes());
        foreign.headers().add(Headers.CE_TYPE, EventType.PLANNED.type().getBytes(StandardCharsets.UTF_8));
        send(foreign);

        await().atMost(BOUND).until(() -> types("ns/a").contains(EventType.CANCELLED));
        assertThat(handler.calls.get()).isEqualTo(1);
        assertThat(deadLetters()).as("a type we skip is never decoded, so never dead-lettered").isEmpty();
    }

    @Test
    void retriesTransientFailuresThenSucceeds() throws Exception {
        Canceller handler = new Canceller();
        handler.transientFailuresLeft = 2;
        startLoop(handler);
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "r", "uid-r"))));

        await().atMost(BOUND).until(() -> types("ns/r").contains(EventType.CANCELLED));
        assertThat(handler.calls.get()).isEqualTo(3);
        assertThat(types("ns/r")).containsExactly(EventType.CANCEL_REQUESTED, EventType.CANCELLED);
    }

    @Test
    void givesUpOnAHandlerBugDeadLettersTheRecordAndKeepsGoing() throws Exception {
        Canceller handler = new Canceller();
        handler.alwaysFail = true;
        startLoop(handler);
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "bug", "uid-bug"))));

        await().atMost(BOUND).until(() -> types("ns/bug").contains(EventType.FAILED));
        assertThat(handler.calls.get()).as("a non-transient failure is not retried").isEqualTo(1);
        List<ConsumerRecord<String, byte[]>> dlq = await().atMost(BOUND).until(this::deadLetters, l -> !l.isEmpty());
        assertThat(header(dlq.get(0), Headers.DLQ_REASON)).contains("bug in the handler");

        handler.alwaysFail = false;
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "next", "uid-next"))));
        await().atMost(BOUND).until(() -> types("ns/next").contains(EventType.CANCELLED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stack overflow", "assertion", "class that cannot load"})
    void anErrorARecordCausesIsGivenUpLikeABugAndTheStageGoesOn(String kind) throws Exception {
        Canceller handler = new Canceller();
        handler.alwaysError = switch (kind) {
            case "stack overflow" -> new StackOverflowError();
            case "assertion" -> new AssertionError("invariant broken");
            default -> new NoClassDefFoundError("io/vmclone/Missing");
        };
        startLoop(handler);
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "err", "uid-err"))));

        await().atMost(BOUND).until(() -> types("ns/err").contains(EventType.FAILED));
        List<ConsumerRecord<String, byte[]>> dlq = await().atMost(BOUND).until(this::deadLetters, l -> !l.isEmpty());
        assertThat(header(dlq.get(0), Headers.DLQ_REASON)).contains("could not be processed");

        handler.alwaysError = null;
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "after", "uid-after"))));
        await().atMost(BOUND).until(() -> types("ns/after").contains(EventType.CANCELLED));
    }

    @Test
    void aDecisionTooLargeForTheLogFailsTheCloneAtOnceInsteadOfRetryingForever() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(settings.env());
        env.put(StageSettings.ENV_MAX_EVENT_BYTES, "4096");
        settings = StageSettings.from("test-stage", env);
        Canceller handler = new Canceller();
        handler.deletedNames = 200; // about 12 KB of names
        startLoop(handler);
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "big", "uid-big"))));

        await().atMost(BOUND).until(() -> types("ns/big").contains(EventType.FAILED));
        var failed = new EventLogReader(settings).readClone("ns/big").stream().map(EventLogReader.LoggedEvent::event)
                .filter(e -> e.type() == EventType.FAILED).findFirst().orElseThrow().data(io.vmclone.schemas.events.Failed.class);
        assertThat(failed.reason()).isEqualTo(io.vmclone.schemas.Reasons.EVENT_TOO_LARGE);
        assertThat(failed.message()).contains("cancelled event would be").contains("above the event log's limit of 4096 bytes");
        assertThat(types("ns/big")).doesNotContain(EventType.CANCELLED);
        assertThat(handler.calls.get()).as("the same input gives the same oversize event: not retried").isEqualTo(1);
        List<ConsumerRecord<String, byte[]>> dlq = await().atMost(BOUND).until(this::deadLetters, l -> !l.isEmpty());
        assertThat(header(dlq.get(0), Headers.DLQ_REASON)).contains("above the event log's limit");

        handler.deletedNames = 0;
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "small", "uid-small"))));
        await().atMost(BOUND).until(() -> types("ns/small").contains(EventType.CANCELLED));
    }

    /**
     * A batch whose first record produced its answer (so the transaction is open on the broker) and whose
     * second fails ten times after an API call answered 0.7 s late would keep the transaction open about 7 s, past its 4 s
     * timeout: the coordinator would abort it and fence the producer, stopping the stage. Past half the
     * timeout the loop rolls the batch back instead; the records come again until both succeed, once each.
     */
    @Test
    void aBatchThatWouldOutliveItsTransactionIsRolledBackAndRetriedNotFenced() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(settings.env());
        env.put("KAFKA_TRANSACTION_TIMEOUT_MS", "4000");
        env.put(StageSettings.ENV_MAX_ATTEMPTS, "20");
        settings = StageSettings.from("test-stage", env);
        // Both records in one partition and one transaction, so the stage reads them in one poll, fast one first.
        String slow = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "slow-" + i)
                .filter(n -> EventLogReader.partitionOf("ns/" + n, 2) == EventLogReader.partitionOf("ns/fast", 2)).findFirst().orElseThrow();
        Canceller handler = new Canceller();
        handler.slowClone = slow;
        handler.transientFailuresLeft = 10;
        cluster = io.vmclone.testsupport.MockCluster.start();
        cluster.createNamespace("slow");
        cluster.slowDown("GET", "/api/v1/namespaces/slow", Duration.ofMillis(700), 100); // each call answered 0.7 s late
        handler.slowApi = cluster.client();
        startLoop(handler);
        java.util.Properties props = settings.kafkaCommon();
        props.put("transactional.id", "test-writer-" + slow + System.nanoTime());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "fast", "uid-fast"))));
            p.send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", slow, "uid-slow"))));
            p.commitTransaction();
        }

        await().atMost(BOUND).until(() -> types("ns/" + slow).contains(EventType.CANCELLED));
        assertThat(loop.running()).as("the stage was not fenced").isTrue();
        assertThat(types("ns/" + slow)).containsExactly(EventType.CANCEL_REQUESTED, EventType.CANCELLED);
        assertThat(types("ns/fast")).containsExactly(EventType.CANCEL_REQUESTED, EventType.CANCELLED);
    }

    @Test
    void undecodableRecordsGoToTheDeadLetterTopicWithTheReason() throws Exception {
        startLoop(new Canceller());
        send(new ProducerRecord<>(settings.topics().events(), "ns/garbage", "\u0000\u0001garbage".getBytes(StandardCharsets.UTF_8)));
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "after", "uid-after"))));

        List<ConsumerRecord<String, byte[]>> dlq = await().atMost(BOUND).until(this::deadLetters, l -> !l.isEmpty());
        assertThat(dlq).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("ns/garbage");
            assertThat(header(r, Headers.DLQ_REASON)).contains("not a CloudEvent");
            assertThat(header(r, Headers.DLQ_STAGE)).isEqualTo("test-stage");
            assertThat(header(r, Headers.DLQ_ORIGIN)).startsWith(settings.topics().events() + "-");
        });
        await().atMost(BOUND).until(() -> types("ns/after").contains(EventType.CANCELLED));
    }

    @Test
    void eventsPublishedThroughTheSinkAreCommittedToTheLog() {
        Canceller handler = new Canceller();
        startLoop(handler);
        loop.sink().publish(cancelRequested(new CloneRef("ns", "sunk", "uid-sunk")));
        await().atMost(BOUND).until(() -> types("ns/sunk").contains(EventType.CANCELLED));
        assertThat(types("ns/sunk")).containsExactly(EventType.CANCEL_REQUESTED, EventType.CANCELLED);
    }

    @Test
    void aRestartedStageResumesAfterItsCommittedOffsetsWithoutRedoingWork() throws Exception {
        Canceller first = new Canceller();
        startLoop(first);
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "once", "uid-once"))));
        await().atMost(BOUND).until(() -> types("ns/once").contains(EventType.CANCELLED));
        loop.close();
        thread.join(10_000);

        Canceller second = new Canceller();
        startLoop(second);
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "twice", "uid-twice"))));
        await().atMost(BOUND).until(() -> types("ns/twice").contains(EventType.CANCELLED));
        assertThat(second.seenIds).doesNotContain("uid-once/cancel-requested");
        assertThat(types("ns/once")).filteredOn(t -> t == EventType.CANCELLED).hasSize(1);
    }

    /** Handles two clones at once (each waits for the other) and records each clone's order of handling. */
    private static final class ConcurrentCanceller implements StageHandler {
        final java.util.concurrent.CountDownLatch bothInside = new java.util.concurrent.CountDownLatch(2);
        final Map<String, List<String>> order = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public Set<EventType> accepts() {
            return Set.of(EventType.CANCEL_REQUESTED);
        }

        @Override
        public int concurrency() {
            return 4;
        }

        @Override
        public List<CloneEvent> handle(CloneEvent event, RecordPosition position) throws Exception {
            String clone = event.cloneRef().name();
            if (clone.startsWith("pair-")) {
                bothInside.countDown();
                // Only true if the other clone is being handled at the same time.
                overlapped.compareAndSet(false, bothInside.await(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            order.computeIfAbsent(clone, k -> Collections.synchronizedList(new ArrayList<>())).add(event.id());
            return List.of(CloneEvent.of("test-stage", EventType.CANCELLED, new Cancelled(event.cloneRef(), List.of(event.id())),
                    event.time(), event.id().substring(event.id().lastIndexOf('/') + 1)));
        }
    }

    @Test
    void handlesDifferentClonesAtOnceButEachClonesRecordsInOrder() throws Exception {
        ConcurrentCanceller handler = new ConcurrentCanceller();
        startLoop(handler);
        // Two clones in one partition, so one fetch brings both.
        String pairB = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "pair-b" + i)
                .filter(n -> EventLogReader.partitionOf("ns/" + n, 2) == EventLogReader.partitionOf("ns/pair-a", 2))
                .findFirst().orElseThrow();
        Properties props = settings.kafkaCommon();
        props.put("transactional.id", "test-batch-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            p.initTransactions(); // one transaction: the loop sees the whole batch in one poll
            p.beginTransaction();
            for (int i = 0; i < 20; i++) {
                CloneRef clone = new CloneRef("ns", "ordered", "uid-ordered");
                p.send(codec.toRecord(settings.topics().events(),
                        new CloneEvent("uid-ordered/cancel-requested/" + i, CloneEvent.sourceOf("bridge"), EventType.CANCEL_REQUESTED,
                                OffsetDateTime.now(), new CancelRequested(clone), null)));
            }
            p.send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "pair-a", "uid-a"))));
            p.send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", pairB, "uid-b"))));
            p.commitTransaction();
        }
        await().atMost(BOUND).until(() -> types("ns/pair-a").contains(EventType.CANCELLED)
                && types("ns/" + pairB).contains(EventType.CANCELLED) && handler.order.getOrDefault("ordered", List.of()).size() == 20);
        assertThat(handler.overlapped).as("two clones were handled at the same time").isTrue();
        List<String> expected = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "uid-ordered/cancel-requested/" + i).toList();
        assertThat(handler.order.get("ordered")).as("one clone's records in log order").containsExactlyElementsOf(expected);
    }

    /**
     * A record the broker took, just under its limit (message.max.bytes, 1,048,588), that no stage can decode.
     * A full dead-letter copy (the original plus the reason headers) is over the producer's max.request.size
     * (1,048,576): the transaction aborted and the record came again forever. Its dead letter now carries the
     * headers, size and SHA-256 instead of the value, and the stage goes on.
     */
    @Test
    void aRecordJustUnderTheBrokersLimitIsDeadLetteredAsADigestAndTheStageGoesOn() throws Exception {
        startLoop(new Canceller());
        byte[] value = new byte[1_048_480]; // with its key and the batch framing: 1,048,559 bytes on the broker
        java.util.Arrays.fill(value, (byte) 'x');
        Properties big = settings.kafkaCommon();
        big.put("max.request.size", Integer.toString(2 << 20));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(big, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(settings.topics().events(), "ns/huge", value)).get();
        }
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "after-huge", "uid-after-huge"))));

        await().atMost(BOUND).until(() -> types("ns/after-huge").contains(EventType.CANCELLED));
        List<ConsumerRecord<String, byte[]>> dlq = await().atMost(BOUND).until(this::deadLetters, l -> !l.isEmpty());
        assertThat(dlq).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("ns/huge");
            assertThat(r.value()).as("the original is not copied").isNull();
            assertThat(header(r, Headers.DLQ_OMITTED)).isEqualTo("value");
            assertThat(header(r, Headers.DLQ_ORIGINAL_SHA256)).isEqualTo(DeadLetter.sha256(value));
            assertThat(Long.parseLong(header(r, Headers.DLQ_ORIGINAL_BYTES))).isGreaterThan(value.length);
            assertThat(header(r, Headers.DLQ_REASON)).contains("not a CloudEvent");
            assertThat(header(r, Headers.DLQ_ORIGIN)).startsWith(settings.topics().events() + "-");
        });
        assertThat(loop.running()).isTrue();
    }

    /** Only the bridge emits cancel-requested: one from anywhere else is forged, never handed to the handler. */
    @Test
    void aForgedEventIsDeadLetteredAndNotActedOn() throws Exception {
        Canceller handler = new Canceller();
        startLoop(handler);
        CloneRef victim = new CloneRef("ns", "victim", "uid-victim");
        send(codec.toRecord(settings.topics().events(), CloneEvent.of("planner", EventType.CANCEL_REQUESTED, new CancelRequested(victim),
                OffsetDateTime.now(), null)));
        send(codec.toRecord(settings.topics().events(), new CloneEvent("x", java.net.URI.create("https://attacker.example/"),
                EventType.CANCEL_REQUESTED, OffsetDateTime.now(), new CancelRequested(victim), null)));
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "genuine", "uid-genuine"))));

        await().atMost(BOUND).until(() -> types("ns/genuine").contains(EventType.CANCELLED));
        assertThat(handler.seenIds).containsExactly("uid-genuine/cancel-requested");
        assertThat(types("ns/victim")).doesNotContain(EventType.CANCELLED);
        List<ConsumerRecord<String, byte[]>> dlq = await().atMost(BOUND).until(this::deadLetters, l -> l.size() >= 2);
        assertThat(dlq).extracting(r -> header(r, Headers.DLQ_REASON)).allSatisfy(reason -> assertThat(reason)
                .startsWith("source: ").contains("may not emit " + EventType.CANCEL_REQUESTED.type()).contains("/vmclone/bridge"));
    }

    /** Takes requested events (whose time the metrics read) and records the ids it saw. */
    private static final class RequestRecorder implements StageHandler {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Set<EventType> accepts() {
            return Set.of(EventType.REQUESTED);
        }

        @Override
        public List<CloneEvent> handle(CloneEvent event, RecordPosition position) {
            seen.add(event.id());
            return List.of();
        }
    }

    /** CloudEvents' time is optional: a valid event without it stopped the planner and the status reporter (NPE in the metrics). */
    @Test
    void aValidEventWithoutTheOptionalTimeIsHandledLikeAnyOther() throws Exception {
        RequestRecorder handler = new RequestRecorder();
        startLoop(handler);
        send(codec.toRecord(settings.topics().events(), requested("untimed", null)));
        send(codec.toRecord(settings.topics().events(), requested("timed", OffsetDateTime.now())));

        await().atMost(BOUND).until(() -> handler.seen.size() == 2);
        assertThat(handler.seen).containsExactly("uid-untimed/requested", "uid-timed/requested");
        assertThat(loop.running()).isTrue();
        assertThat(deadLetters()).isEmpty();
    }

    private static CloneEvent requested(String name, OffsetDateTime time) {
        CloneRef clone = new CloneRef("ns", name, "uid-" + name);
        return new CloneEvent("uid-" + name + "/requested", CloneEvent.sourceOf("bridge"), EventType.REQUESTED, time,
                new io.vmclone.schemas.events.Requested(clone, 1L, io.vmclone.schemas.CloneSpec.of("vm", name + "-copy"), null,
                        io.vmclone.schemas.events.Origin.resource()), null);
    }

    /** Rejects every cancel, quoting its (attacker-chosen) id, and gives up the same way: as the bridge does. */
    private static final class QuotingRejecter implements StageHandler {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean giveUpThrows;

        @Override
        public Set<EventType> accepts() {
            return Set.of(EventType.CANCEL_REQUESTED);
        }

        @Override
        public List<CloneEvent> handle(CloneEvent event, RecordPosition position) {
            calls.incrementAndGet();
            if (giveUpThrows) {
                throw new IllegalStateException("bug in handle");
            }
            throw new RejectedRecord("refused " + event.id(), List.of(rejection(event)));
        }

        @Override
        public List<CloneEvent> onGiveUp(CloneEvent event, Exception error) {
            if (giveUpThrows) {
                throw new IllegalStateException("bug in onGiveUp too");
            }
            return List.of(rejection(event));
        }

        private static CloneEvent rejection(CloneEvent event) {
            return CloneEvent.of("test-stage", EventType.REJECTED, new io.vmclone.schemas.events.Rejected(event.cloneRef(), "test-stage",
                    io.vmclone.schemas.Reasons.INVALID_REQUEST, "id", "request " + event.id() + " refused", event.id()),
                    OffsetDateTime.now(), null);
        }
    }

    /**
     * An id of 200,000 control characters is 1.2 MB once JSON escapes each one as six: the rejection quoting it
     * was over the event limit, and so was the give-up event, whose EventTooLarge stopped the stage. Outcomes are
     * now cut to their documented limits (OutcomeLimits), so the rejection is written and the stage goes on.
     */
    @Test
    void aRejectionQuotingAHugeIdIsCutToItsLimitsAndTheStageGoesOn() throws Exception {
        QuotingRejecter handler = new QuotingRejecter();
        startLoop(handler);
        CloneRef clone = new CloneRef("ns", "quoted", "uid-quoted");
        String id = "\u0001".repeat(200_000);
        send(codec.toRecord(settings.topics().events(), new CloneEvent(id, CloneEvent.sourceOf("bridge"), EventType.CANCEL_REQUESTED,
                OffsetDateTime.now(), new CancelRequested(clone), null)));
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "next", "uid-next"))));

        await().atMost(BOUND).until(() -> types("ns/next").contains(EventType.REJECTED));
        var rejected = new EventLogReader(settings).readClone("ns/quoted").stream().map(EventLogReader.LoggedEvent::event)
                .filter(e -> e.type() == EventType.REJECTED).findFirst().orElseThrow().data(io.vmclone.schemas.events.Rejected.class);
        assertThat(rejected.correlationId()).hasSize(io.vmclone.schemas.OutcomeLimits.CORRELATION_ID).startsWith("\u0001\u0001")
                .contains("200000 chars, sha256 ");
        assertThat(rejected.message()).hasSizeLessThanOrEqualTo(io.vmclone.schemas.OutcomeLimits.MESSAGE);
        assertThat(loop.running()).isTrue();
        assertThat(deadLetters()).hasSize(2);
    }

    /** A bug in the handler's give-up path too: the record still ends with its dead letter, and the stage goes on. */
    @Test
    void aBugInTheGiveUpPathStillEndsInADeadLetterAndTheStageGoesOn() throws Exception {
        QuotingRejecter handler = new QuotingRejecter();
        handler.giveUpThrows = true;
        startLoop(handler);
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "bug1", "uid-bug1"))));
        send(codec.toRecord(settings.topics().events(), cancelRequested(new CloneRef("ns", "bug2", "uid-bug2"))));

        List<ConsumerRecord<String, byte[]>> dlq = await().atMost(BOUND).until(this::deadLetters, l -> l.size() >= 2);
        assertThat(dlq).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("ns/bug1", "ns/bug2");
        assertThat(dlq).allSatisfy(r -> assertThat(header(r, Headers.DLQ_REASON)).contains("bug in handle"));
        assertThat(handler.calls.get()).isEqualTo(2);
        assertThat(loop.running()).isTrue();
    }

    private CloneEvent cancelRequested(CloneRef clone) {
        return CloneEvent.of("bridge", EventType.CANCEL_REQUESTED, new CancelRequested(clone), OffsetDateTime.now(), null);
    }

    private List<EventType> types(String key) {
        return new EventLogReader(settings).readClone(key).stream().map(e -> e.event().type()).toList();
    }

    private void send(ProducerRecord<String, byte[]> record) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(settings.kafkaCommon(), new StringSerializer(), new ByteArraySerializer())) {
            p.send(record).get();
        }
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters() {
        return EventLogReader.deadLetters(settings).records();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
