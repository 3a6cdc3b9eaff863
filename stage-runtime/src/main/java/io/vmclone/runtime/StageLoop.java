package io.vmclone.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventCodec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * The one consume → decide → produce loop every service runs, in the shape of Kafka's
 * {@code ExactlyOnceMessageProcessor}: a {@code read_committed} consumer, a transactional producer; each poll's
 * records are handed off ({@link RecordDispatcher} → {@link RecordProcessor} → {@link RecordAttempts}), their
 * outputs and the consumed offsets committed in one transaction, and on an abort the consumer rewinds to the
 * last committed offsets so the batch comes again. Events a handler observed on its own (a DataVolume's
 * progress) wait in an outbox and go out in the next transaction.
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
    private final StageMetrics metrics;
    private final StageHealth health;
    private final MeterRegistry registry;
    private final Backoff backoff;
    private final TransactionBudget budget;
    private final RecordProcessor processor;
    private final RecordDispatcher dispatcher;
    private final ConcurrentLinkedDeque<CloneEvent> outbox = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile AutoCloseable consumerMetrics;
    private volatile Throwable failure;

    public StageLoop(StageSettings settings, StageHandler handler, EventCodec codec, MeterRegistry registry) {
        this.settings = settings;
        this.handler = handler;
        this.registry = registry;
        this.metrics = new StageMetrics(registry, settings.service());
        this.health = new StageHealth(registry, settings.service());
        this.backoff = Backoff.standard(settings.maxBackoff());
        this.budget = new TransactionBudget(settings);
        RecordAttempts attempts = new RecordAttempts(handler, settings, backoff, budget, metrics, running::get);
        this.processor = new RecordProcessor(settings, handler, codec, attempts, budget, metrics,
                new CloneMetrics(registry, settings.service()));
        this.dispatcher = new RecordDispatcher(processor, settings, Math.max(1, handler.concurrency()), running::get);
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
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(StageClientProperties.consumer(settings),
                     new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(StageClientProperties.producer(settings),
                     new StringSerializer(), new ByteArraySerializer())) {
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
            dispatcher.close();
            ConsumerMetrics.close(consumerMetrics);
            stopped.countDown();
            MDC.remove("stage");
        }
    }

    /** One transaction: the outbox, then the poll's records, then their offsets; on an abort, rewind. */
    private void transact(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
                          ConsumerRecords<String, byte[]> records) {
        Deque<CloneEvent> drained = new ArrayDeque<>();
        producer.beginTransaction();
        budget.began();
        try {
            // Sink events first: they were observed before these records were handled, so the log shows
            // them before the records' outputs (e.g. a DataVolume's progress before a cancel's "cancelled").
            sendOutbox(producer, drained);
            Map<TopicPartition, OffsetAndMetadata> offsets = dispatcher.handleAll(records, producer);
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

    private void sendOutbox(KafkaProducer<String, byte[]> producer, Deque<CloneEvent> drained) {
        CloneEvent next;
        while (drained.size() < MAX_OUTBOX_PER_TRANSACTION && (next = outbox.poll()) != null) {
            drained.add(next);
            try {
                processor.send(producer, processor.encoder().encode(next));
            } catch (EventTooLarge e) {
                // Observed events (progress, outcomes) are small; one that is not cannot be sent, ever.
                log.error("dropping {} {}: {}", next.type().slug(), next.id(), e.getMessage());
            }
        }
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
}
