package io.vmclone.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.InvalidEventException;
import io.vmclone.schemas.OutcomeLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one consume → decide → produce loop every service runs (Kafka's transactional
 * consume-transform-produce pattern): a {@code read_committed} consumer, a transactional producer,
 * the handler's outputs and the consumed offsets committed in one transaction. Records whose
 * {@code ce_type} header names a type the handler does not accept are skipped without decoding;
 * undecodable records go to the dead-letter topic with the reason in headers.
 */
public final class StageLoop implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StageLoop.class);
    /**
     * Longest wait in one poll. Records end a poll at once; events published through the sink (a DataVolume
     * finished, a clone observed) wait for the poll to end, so this bounds their extra latency.
     */
    public static final Duration POLL = Duration.ofMillis(10);
    private static final int MAX_OUTBOX_PER_TRANSACTION = 500;

    private final StageSettings settings;
    private final StageHandler handler;
    private final EventCodec codec;
    private final StageMetrics metrics;
    private final CloneMetrics cloneMetrics;
    private final StageHealth health;
    private final MeterRegistry registry;
    private volatile AutoCloseable consumerMetrics;
    private final Backoff backoff;
    private final Set<String> acceptedTypes;
    private final ConcurrentLinkedDeque<CloneEvent> outbox = new ConcurrentLinkedDeque<>();
    /** Handles several clones of one poll at once; null when the handler takes one record at a time. */
    private final java.util.concurrent.ExecutorService workers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Throwable failure;
    /** When the open transaction began (System.nanoTime), for {@link #checkTransactionBudget}. */
    private volatile long transactionStarted;
    private final long transactionBudgetNanos;

    public StageLoop(StageSettings settings, StageHandler handler, EventCodec codec, MeterRegistry registry) {
        this.settings = settings;
        this.handler = handler;
        this.codec = codec;
        this.metrics = new StageMetrics(registry, settings.service());
        this.cloneMetrics = new CloneMetrics(registry, settings.service());
        this.health = new StageHealth(registry, settings.service());
        this.registry = registry;
        this.backoff = Backoff.standard(settings.maxBackoff());
        int concurrency = Math.max(1, handler.concurrency());
        this.workers = concurrency == 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(concurrency,
                DaemonThreads.named("stage-" + settings.service() + "-worker"));
        // Half the transaction timeout: past it no new record or retry starts, so a slow API server makes the
        // batch roll back and come again instead of outliving the transaction (the coordinator would abort it
        // and fence this producer, which stops the stage).
        this.transactionBudgetNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(transactionTimeoutMillis(settings) / 2);
        this.acceptedTypes = new java.util.HashSet<>();
        handler.accepts().forEach(t -> acceptedTypes.add(t.type()));
    }

    /** Publishes an event in the loop's next transaction (thread-safe). */
    public EventSink sink() {
        return outbox::add;
    }

    /**
     * True once the consumer has partitions assigned (or had them and is working), while the broker answers
     * and transactions commit ({@link StageHealth}).
     */
    public boolean ready() {
        return ready.get() && running.get() && health.healthy();
    }

    public boolean running() {
        return running.get() && stopped.getCount() > 0;
    }

    /** Why the loop stopped on its own, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void run() {
        MDC.put("stage", settings.service());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            consumer = c;
            consumerMetrics = ConsumerMetrics.bind(c, registry);
            producer.initTransactions();
            handler.start(sink());
            c.subscribe(handler.topics(settings.topics()), new ReadinessListener());
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = c.poll(POLL);
                if (records.isEmpty() && outbox.isEmpty()) {
                    health.probeIfDue(c);
                    continue;
                }
                transact(c, producer, records);
            }
        } catch (WakeupException e) {
            if (running.get()) {
                failure = e;
            }
        } catch (Exception e) {
            failure = e;
            log.error("stage {} stopped: {}", settings.service(), e.toString(), e);
        } finally {
            running.set(false);
            ready.set(false);
            handler.stop();
            if (workers != null) {
                workers.shutdownNow();
            }
            ConsumerMetrics.close(consumerMetrics);
            stopped.countDown();
            MDC.remove("stage");
        }
    }

    private void transact(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
                          ConsumerRecords<String, byte[]> records) {
        Deque<CloneEvent> drained = new ArrayDeque<>();
        producer.beginTransaction();
        transactionStarted = System.nanoTime();
        try {
            // Sink events first: they were observed before these records were handled, so the log shows
            // them before the records' outputs (e.g. a DataVolume's progress before a cancel's "cancelled").
            CloneEvent next;
            while (drained.size() < MAX_OUTBOX_PER_TRANSACTION && (next = outbox.poll()) != null) {
                drained.add(next);
                try {
                    send(producer, encode(next));
                } catch (EventTooLarge e) {
                    // Observed events (progress, outcomes) are small; one that is not cannot be sent, ever.
                    log.error("dropping {} {}: {}", next.type().slug(), next.id(), e.getMessage());
                }
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = handleAll(records, producer);
            if (!records.isEmpty() && !handlerFlushed()) {
                producer.abortTransaction();
                requeue(drained);
                rewind(c);
                return;
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
            }
            producer.commitTransaction();
            metrics.transactions.increment();
            health.committed();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // Another instance took over (or we may not write): nothing we can safely do but stop.
            // (InvalidProducerEpochException is abortable: abortTransaction below re-initialises the producer.)
            requeue(drained);
            throw e;
        } catch (WakeupException e) {
            throw e; // close() was called: the loop ends (no rollback to do twice, no failure to report)
        } catch (KafkaException e) {
            log.warn("transaction aborted, rewinding: {}", e.toString());
            metrics.aborts.increment();
            health.aborted(e);
            producer.abortTransaction();
            requeue(drained);
            rewind(c);
        }
    }

    /**
     * Handles a poll's records and returns the offsets to commit. With {@link StageHandler#concurrency()}
     * above 1, the records are grouped by key (one clone per key) and the groups handled in parallel, each
     * group in log order; outputs of one clone are therefore produced in order, across clones in any order.
     */
    private Map<TopicPartition, OffsetAndMetadata> handleAll(ConsumerRecords<String, byte[]> records,
                                                           KafkaProducer<String, byte[]> producer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        if (workers == null || records.count() <= 1) {
            for (ConsumerRecord<String, byte[]> record : records) {
                if (!running.get()) {
                    break;
                }
                process(record, producer);
                offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            return offsets;
        }
        Map<String, List<ConsumerRecord<String, byte[]>>> byClone = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byClone.computeIfAbsent(record.topic() + "/" + record.partition() + "/" + record.key(), k -> new ArrayList<>()).add(record);
        }
        List<java.util.concurrent.Future<?>> tasks = new ArrayList<>();
        for (List<ConsumerRecord<String, byte[]>> group : byClone.values()) {
            tasks.add(workers.submit(() -> {
                MDC.put("stage", settings.service());
                for (ConsumerRecord<String, byte[]> record : group) {
                    process(record, producer);
                }
                MDC.remove("stage");
            }));
        }
        // Every task ends before this batch is committed or rolled back: none may send into the next transaction.
        RuntimeException first = null;
        for (java.util.concurrent.Future<?> task : tasks) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                // What would have escaped the sequential loop escapes here too (an Error still ends the stage).
                RuntimeException failure = Failures.unwrap(e);
                first = first == null ? failure : first;
            }
        }
        if (first != null) {
            throw first;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            offsets.merge(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    /** Thrown when the open transaction has used its time budget: the batch is rolled back and comes again. */
    static final class TransactionBudgetExceeded extends org.apache.kafka.common.errors.RetriableException {
        TransactionBudgetExceeded(long millis) {
            super("the transaction has been open " + millis + " ms, half its timeout: rolling the batch back to retry");
        }
    }

    private void checkTransactionBudget() {
        long open = System.nanoTime() - transactionStarted;
        if (open > transactionBudgetNanos) {
            throw new TransactionBudgetExceeded(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(open));
        }
    }

    /** The producer's transaction timeout: 60 s unless {@code KAFKA_TRANSACTION_TIMEOUT_MS} says otherwise. */
    static long transactionTimeoutMillis(StageSettings settings) {
        String configured = settings.kafkaPassThrough().get("transaction.timeout.ms");
        return configured == null ? 60_000 : Long.parseLong(configured.trim());
    }

    /** {@link StageHandler#beforeCommit}; on failure the batch is rolled back (after a pause) and handled again. */
    private boolean handlerFlushed() {
        try {
            handler.beforeCommit();
            return true;
        } catch (Exception e) {
            log.warn("{} could not flush its batch, rolling back to retry: {}", settings.service(), Failures.describe(e));
            metrics.aborts.increment();
            backoff.pause(3);
            return false;
        }
    }

    private void requeue(Deque<CloneEvent> drained) {
        drained.descendingIterator().forEachRemaining(outbox::addFirst);
    }

    /** After an abort, go back to the last committed offsets so every record is processed again. */
    private void rewind(KafkaConsumer<String, byte[]> c) {
        Set<TopicPartition> assignment = c.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(assignment);
        for (TopicPartition tp : assignment) {
            OffsetAndMetadata om = committed.get(tp);
            if (om == null) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seek(tp, om.offset());
            }
        }
    }

    /**
     * One record, from its bytes to its outputs. Whatever goes wrong on the way (a bug included) ends in a
     * bounded outcome: at most one dead letter that fits ({@link DeadLetter}) and the handler's bounded
     * give-up events; only the transaction's own failures (fenced, broker, time budget) escape, to abort the batch.
     * The errors a record's content or a bug can cause (a stack overflow on deep input, a failed assertion, a class
     * that cannot load) are given up like exceptions; any other {@code Error} (out of memory, a crash) ends the stage.
     */
    private void process(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> producer) {
        checkTransactionBudget();
        Handling h = new Handling(record, producer);
        try {
            processOrThrow(h);
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            giveUp(h, e);
        } catch (StackOverflowError | AssertionError | LinkageError e) {
            giveUp(h, new IllegalStateException(Failures.describe(e), e));
        } finally {
            MDC.remove("clone");
            MDC.remove("eventId");
        }
    }

    private void giveUp(Handling h, RuntimeException e) {
        ConsumerRecord<String, byte[]> record = h.record;
        metrics.bugs.increment();
        log.error("could not process {}-{}@{}, giving up on it: {}", record.topic(), record.partition(), record.offset(),
                Failures.describe(e), e);
        if (!h.deadLettered) {
            deadLetter(h, "could not be processed: " + Failures.describe(e));
        }
        if (h.event != null && !h.answered) {
            giveUpOutputs(h.event, e).forEach(r -> send(h.producer, r));
        }
    }

    /** What one record's processing has done so far, so a failure half-way never dead-letters or answers twice. */
    private static final class Handling {
        final ConsumerRecord<String, byte[]> record;
        final KafkaProducer<String, byte[]> producer;
        CloneEvent event;
        boolean deadLettered;
        boolean answered;

        Handling(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> producer) {
            this.record = record;
            this.producer = producer;
        }
    }

    private void processOrThrow(Handling h) {
        ConsumerRecord<String, byte[]> record = h.record;
        String headerType = EventCodec.typeHeader(record);
        if (headerType != null && !acceptedTypes.contains(headerType)) {
            if (handler.requiresAcceptedTypes(record.topic())) {
                undecodable(h, foreignType(headerType));
                return;
            }
            metrics.skipped.increment();
            return; // not for us: the payload is never decoded
        }
        CloneEvent event;
        try {
            event = codec.decode(record);
        } catch (InvalidEventException e) {
            undecodable(h, e);
            return;
        }
        if (!handler.accepts().contains(event.type())) {
            if (handler.requiresAcceptedTypes(record.topic())) {
                undecodable(h, foreignType(event.type().type()));
                return;
            }
            metrics.skipped.increment();
            return;
        }
        if (record.topic().equals(settings.topics().events()) && !event.type().mayComeFrom(event.source())) {
            // Provenance before obedience: only the stage that emits a type is obeyed (a forged cancel deletes nothing).
            metrics.forged.increment();
            undecodable(h, new InvalidEventException("source", "'" + OutcomeLimits.truncate(event.source().toString(), 256)
                    + "' may not emit " + event.type().type() + " (only " + event.type().producers() + " does); ignored"));
            return;
        }
        h.event = event;
        MDC.put("clone", record.key());
        MDC.put("eventId", event.id());
        metricsSafely(() -> cloneMetrics.consumed(event));
        Decision decision = decideWithRetries(event, new RecordPosition(record.topic(), record.partition(), record.offset()));
        String deadLetterReason = decision.deadLetterReason();
        List<Encoded> encoded;
        try {
            encoded = encodeAll(decision.outputs());
        } catch (EventTooLarge e) {
            // Deterministic: the same input would give the same oversize event, so give up on the record now.
            log.error("giving up on {} {}: {}", event.type().slug(), event.id(), e.getMessage());
            deadLetterReason = deadLetterReason == null ? e.getMessage() : deadLetterReason + "; " + e.getMessage();
            encoded = giveUpOutputs(event, e);
        }
        if (deadLetterReason != null) {
            deadLetter(h, deadLetterReason);
        }
        h.answered = true;
        encoded.forEach(r -> send(h.producer, r));
    }

    /**
     * The handler's events for a record given up on, encoded; never throws: if they cannot be made or are
     * too large even with their text cut to the limits, the record ends with its dead letter alone.
     */
    private List<Encoded> giveUpOutputs(CloneEvent event, Exception error) {
        try {
            return encodeAll(handler.onGiveUp(event, error));
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            metrics.outputsDropped.increment();
            log.error("no give-up event for {} {} (only its dead letter): {}", event.type().slug(), event.id(), Failures.describe(e), e);
            return List.of();
        }
    }

    private void undecodable(Handling h, InvalidEventException e) {
        deadLetter(h, e.getMessage());
        List<Encoded> encoded;
        try {
            encoded = encodeAll(handler.onUndecodable(new UndecodableRecord(h.record, e)));
        } catch (KafkaException k) {
            throw k;
        } catch (RuntimeException bug) {
            metrics.outputsDropped.increment();
            log.error("no event for undecodable {}-{}@{} (only its dead letter): {}", h.record.topic(), h.record.partition(),
                    h.record.offset(), Failures.describe(bug), bug);
            encoded = List.of();
        }
        h.answered = true;
        encoded.forEach(r -> send(h.producer, r));
    }

    /** Metrics never stop a stage: a failure in them is logged and counted, the record goes on. */
    private void metricsSafely(Runnable update) {
        try {
            update.run();
        } catch (RuntimeException e) {
            metrics.bugs.increment();
            log.error("metrics or decision log update failed (the record is handled anyway): {}", Failures.describe(e), e);
        }
    }

    private InvalidEventException foreignType(String type) {
        return new InvalidEventException("type", "must be one of " + acceptedTypes + " on this topic, got '" + type + "'");
    }

    /** What the handler decided: events to write, and why the record is dead-lettered too (null: it is not). */
    private record Decision(List<CloneEvent> outputs, String deadLetterReason) {}

    private Decision decideWithRetries(CloneEvent event, RecordPosition position) {
        Timer.Sample sample = Timer.start();
        for (int attempt = 1; ; attempt++) {
            try {
                List<CloneEvent> out = handler.handle(event, position);
                sample.stop(metrics.handled(event.type(), "ok"));
                return new Decision(out == null ? List.of() : out, null);
            } catch (RejectedRecord rejected) {
                sample.stop(metrics.handled(event.type(), "rejected"));
                return new Decision(rejected.events(), rejected.getMessage());
            } catch (Exception e) {
                boolean retry = Failures.isTransient(e) && attempt < settings.maxAttempts() && running.get();
                if (retry) {
                    checkTransactionBudget(); // rather roll the batch back than outlive the transaction
                    metrics.retries.increment();
                    log.warn("{} {} failed (attempt {}/{}), retrying: {}", event.type().slug(), event.id(), attempt,
                            settings.maxAttempts(), Failures.describe(e));
                    if (backoff.pause(attempt)) {
                        continue;
                    }
                }
                sample.stop(metrics.handled(event.type(), "gave-up"));
                log.error("giving up on {} {} after {} attempt(s): {}", event.type().slug(), event.id(), attempt,
                        Failures.describe(e), e);
                String reason = "gave up after " + attempt + " attempt(s): " + Failures.describe(e);
                List<CloneEvent> out;
                try {
                    out = handler.onGiveUp(event, e);
                } catch (RuntimeException bug) {
                    metrics.outputsDropped.increment();
                    log.error("no give-up event for {} {}: {}", event.type().slug(), event.id(), Failures.describe(bug), bug);
                    out = List.of();
                }
                return new Decision(out, reason);
            }
        }
    }

    /** An event and its record, encoded before anything is sent so an oversize one is caught first. */
    private record Encoded(CloneEvent event, ProducerRecord<String, byte[]> record) {
    }

    private List<Encoded> encodeAll(List<CloneEvent> events) {
        List<Encoded> out = new ArrayList<>(events.size());
        events.forEach(e -> out.add(encode(e)));
        return out;
    }

    /** The event as a record of the clone log; {@link EventTooLarge} if it could never be produced. */
    private Encoded encode(CloneEvent event) {
        CloneEvent bounded = OutcomeLimits.bounded(event); // a rejection or failure always fits, whatever it quotes
        ProducerRecord<String, byte[]> record = codec.toRecord(settings.topics().events(), bounded);
        long bytes = RecordSize.of(record);
        if (bytes > settings.maxEventBytes()) {
            throw new EventTooLarge(bounded.type().slug(), bytes, settings.maxEventBytes());
        }
        return new Encoded(bounded, record);
    }

    private void send(KafkaProducer<String, byte[]> producer, Encoded encoded) {
        producer.send(encoded.record());
        metricsSafely(() -> {
            metrics.produced(encoded.event().type()).increment();
            cloneMetrics.produced(encoded.event());
            DecisionLog.line(encoded.event()).ifPresentOrElse(log::info,
                    () -> log.debug("{} {} {}", settings.service(), encoded.event().type().slug(), encoded.event().id()));
        });
    }

    /** The record's dead letter, always small enough to be produced ({@link DeadLetter}); at most one per record. */
    private void deadLetter(Handling h, String reason) {
        ConsumerRecord<String, byte[]> record = h.record;
        ProducerRecord<String, byte[]> dlq = DeadLetter.of(record, reason, settings.service(), settings.topics().deadLetter(),
                settings.maxEventBytes());
        h.producer.send(dlq);
        h.deadLettered = true;
        metrics.deadLettered.increment();
        if (dlq.value() == null && record.value() != null) {
            metrics.deadLetteredDigest.increment();
        }
        log.warn("dead-lettered {}-{}@{}{}: {}", record.topic(), record.partition(), record.offset(),
                dlq.value() == null && record.value() != null ? " (too large to copy: headers, size and SHA-256 only)" : "",
                OutcomeLimits.truncate(reason, DeadLetter.MAX_REASON));
    }

    private Properties consumerProps() {
        Properties p = settings.kafkaCommon();
        p.put("group.id", settings.groupId());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", "200");
        return p;
    }

    private Properties producerProps() {
        Properties p = settings.kafkaCommon();
        p.put("transactional.id", settings.groupId() + "-" + settings.instanceId());
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", "2");
        p.put("transaction.timeout.ms", Long.toString(transactionTimeoutMillis(settings)));
        return p;
    }

    /** Stops consuming, finishes the current transaction and waits for the loop to end. */
    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                log.warn("stage {} did not stop within 30 s", settings.service());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class ReadinessListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            handler.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            handler.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            handler.onPartitionsAssigned(partitions);
            ready.set(true);
            metrics.assigned(consumer == null ? partitions.size() : consumer.assignment().size());
        }
    }

    /** Publishes this loop's counters; also used by tests to see what happened. */
    static final class StageMetrics {
        final io.micrometer.core.instrument.Counter transactions;
        final io.micrometer.core.instrument.Counter aborts;
        final io.micrometer.core.instrument.Counter skipped;
        final io.micrometer.core.instrument.Counter retries;
        final io.micrometer.core.instrument.Counter deadLettered;
        /** Dead letters that carry headers, size and digest instead of the original (it was too large). */
        final io.micrometer.core.instrument.Counter deadLetteredDigest;
        /** Records whose processing failed in an unforeseen way (a bug): each still ended in a dead letter. */
        final io.micrometer.core.instrument.Counter bugs;
        /** Give-up or rejection events that could not be made at all: the record ended with its dead letter alone. */
        final io.micrometer.core.instrument.Counter outputsDropped;
        /** Events on the clone log from a source not allowed to emit their type: dead-lettered, not acted on. */
        final io.micrometer.core.instrument.Counter forged;
        private final MeterRegistry registry;
        private final String stage;
        private final java.util.concurrent.atomic.AtomicInteger assignedPartitions = new java.util.concurrent.atomic.AtomicInteger();

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
            registry.gauge("vmclone.stage.assigned.partitions", java.util.List.of(io.micrometer.core.instrument.Tag.of("stage", stage)),
                    assignedPartitions);
        }

        Timer handled(EventType type, String outcome) {
            return Timer.builder("vmclone.stage.handle").description(MetricCatalogue.HELP.get("vmclone.stage.handle"))
                    .tag("stage", stage).tag("type", type.slug()).tag("outcome", outcome)
                    .serviceLevelObjectives(MetricCatalogue.BUCKETS.get("vmclone.stage.handle")).register(registry);
        }

        io.micrometer.core.instrument.Counter produced(EventType type) {
            return registry.counter("vmclone.events.produced", "stage", stage, "type", type.slug());
        }

        void assigned(int count) {
            assignedPartitions.set(count);
        }
    }
}
