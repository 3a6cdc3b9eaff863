package io.vmclone.runtime;

import io.vmclone.runtime.EventEncoder.Encoded;
import io.vmclone.runtime.RecordAttempts.Decision;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.InvalidEventException;
import io.vmclone.schemas.OutcomeLimits;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One record, from its bytes to its outputs: the type filter (records of other stages are skipped without
 * decoding), decoding, provenance, the handler's decision ({@link RecordAttempts}), encoding and dead letters.
 * Whatever goes wrong on the way (a bug included) ends in a bounded outcome: at most one dead letter that fits
 * ({@link DeadLetter}) and the handler's bounded give-up events; only the transaction's own failures (fenced,
 * broker, time budget) escape, to abort the batch. Thread-safe: the dispatcher calls it for several clones at once.
 */
final class RecordProcessor {
    private static final Logger log = LoggerFactory.getLogger(RecordProcessor.class);

    private final StageSettings settings;
    private final StageHandler handler;
    private final EventCodec codec;
    private final EventEncoder encoder;
    private final RecordAttempts attempts;
    private final TransactionBudget budget;
    private final StageMetrics metrics;
    private final CloneMetrics cloneMetrics;
    private final Set<String> acceptedTypes = new HashSet<>();

    RecordProcessor(StageSettings settings, StageHandler handler, EventCodec codec, RecordAttempts attempts,
                    TransactionBudget budget, StageMetrics metrics, CloneMetrics cloneMetrics) {
        this.settings = settings;
        this.handler = handler;
        this.codec = codec;
        this.encoder = new EventEncoder(codec, settings);
        this.attempts = attempts;
        this.budget = budget;
        this.metrics = metrics;
        this.cloneMetrics = cloneMetrics;
        handler.accepts().forEach(t -> acceptedTypes.add(t.type()));
    }

    EventEncoder encoder() {
        return encoder;
    }

    /**
     * Handles {@code record}, sending its outputs and dead letter through {@code producer}. The errors a record's
     * content or a bug can cause (a stack overflow on deep input, a failed assertion, a class that cannot load)
     * are given up like exceptions; any other {@code Error} (out of memory, a crash) ends the stage.
     */
    void process(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> producer) {
        budget.check();
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
        CloneEvent event = accepted(h);
        if (event == null) {
            return;
        }
        h.event = event;
        MDC.put("clone", h.record.key());
        MDC.put("eventId", event.id());
        metricsSafely(() -> cloneMetrics.consumed(event));
        ConsumerRecord<String, byte[]> record = h.record;
        Decision decision = attempts.decide(event, new RecordPosition(record.topic(), record.partition(), record.offset()));
        String deadLetterReason = decision.deadLetterReason();
        List<Encoded> encoded;
        try {
            encoded = encoder.encodeAll(decision.outputs());
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
     * The record's event if this stage is to act on it; null when it was skipped (another stage's type, never
     * decoded) or refused (undecodable, a foreign type on an intake topic, a forged source: dead-lettered).
     */
    private CloneEvent accepted(Handling h) {
        ConsumerRecord<String, byte[]> record = h.record;
        String headerType = EventCodec.typeHeader(record);
        if (headerType != null && !acceptedTypes.contains(headerType)) {
            return skipOrRefuse(h, headerType); // not for us: the payload is never decoded
        }
        CloneEvent event;
        try {
            event = codec.decode(record);
        } catch (InvalidEventException e) {
            undecodable(h, e);
            return null;
        }
        if (!handler.accepts().contains(event.type())) {
            return skipOrRefuse(h, event.type().type());
        }
        if (record.topic().equals(settings.topics().events()) && !event.type().mayComeFrom(event.source())) {
            // Provenance before obedience: only the stage that emits a type is obeyed (a forged cancel deletes nothing).
            metrics.forged.increment();
            undecodable(h, new InvalidEventException("source", "'" + OutcomeLimits.truncate(event.source().toString(), 256)
                    + "' may not emit " + event.type().type() + " (only " + event.type().producers() + " does); ignored"));
            return null;
        }
        return event;
    }

    private CloneEvent skipOrRefuse(Handling h, String type) {
        if (handler.requiresAcceptedTypes(h.record.topic())) {
            undecodable(h, new InvalidEventException("type", "must be one of " + acceptedTypes + " on this topic, got '"
                    + type + "'"));
        } else {
            metrics.skipped.increment();
        }
        return null;
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

    /**
     * The handler's events for a record given up on, encoded; never throws: if they cannot be made or are
     * too large even with their text cut to the limits, the record ends with its dead letter alone.
     */
    private List<Encoded> giveUpOutputs(CloneEvent event, Exception error) {
        try {
            return encoder.encodeAll(handler.onGiveUp(event, error));
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
            encoded = encoder.encodeAll(handler.onUndecodable(new UndecodableRecord(h.record, e)));
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

    /** Sends one encoded event and counts it; the decision log line for outcomes is written here. */
    void send(KafkaProducer<String, byte[]> producer, Encoded encoded) {
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
        boolean digestOnly = dlq.value() == null && record.value() != null;
        if (digestOnly) {
            metrics.deadLetteredDigest.increment();
        }
        log.warn("dead-lettered {}-{}@{}{}: {}", record.topic(), record.partition(), record.offset(),
                digestOnly ? " (too large to copy: headers, size and SHA-256 only)" : "",
                OutcomeLimits.truncate(reason, DeadLetter.MAX_REASON));
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
}
