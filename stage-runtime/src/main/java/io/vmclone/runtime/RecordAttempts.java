package io.vmclone.runtime;

import io.micrometer.core.instrument.Timer;
import io.vmclone.schemas.CloneEvent;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the handler for one decoded event until it decides: transient failures are retried with backoff up to
 * {@code VMCLONE_MAX_ATTEMPTS}, each retry under the open transaction's {@link TransactionBudget}; a rejection
 * or a give-up ends in the handler's events plus a dead-letter reason.
 */
final class RecordAttempts {
    private static final Logger log = LoggerFactory.getLogger(RecordAttempts.class);

    private final StageHandler handler;
    private final int maxAttempts;
    private final Backoff backoff;
    private final TransactionBudget budget;
    private final StageMetrics metrics;
    private final BooleanSupplier running;

    RecordAttempts(StageHandler handler, StageSettings settings, Backoff backoff, TransactionBudget budget,
                   StageMetrics metrics, BooleanSupplier running) {
        this.handler = handler;
        this.maxAttempts = settings.maxAttempts();
        this.backoff = backoff;
        this.budget = budget;
        this.metrics = metrics;
        this.running = running;
    }

    /** What the handler decided: events to write, and why the record is dead-lettered too (null: it is not). */
    record Decision(List<CloneEvent> outputs, String deadLetterReason) {}

    Decision decide(CloneEvent event, RecordPosition position) {
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
                if (mayRetry(e, attempt)) {
                    budget.check(); // rather roll the batch back than outlive the transaction
                    metrics.retries.increment();
                    log.warn("{} {} failed (attempt {}/{}), retrying: {}", event.type().slug(), event.id(), attempt,
                            maxAttempts, Failures.describe(e));
                    if (backoff.pause(attempt)) {
                        continue;
                    }
                }
                sample.stop(metrics.handled(event.type(), "gave-up"));
                return givenUp(event, e, attempt);
            }
        }
    }

    private boolean mayRetry(Exception e, int attempt) {
        return Failures.isTransient(e) && attempt < maxAttempts && running.getAsBoolean();
    }

    private Decision givenUp(CloneEvent event, Exception e, int attempts) {
        log.error("giving up on {} {} after {} attempt(s): {}", event.type().slug(), event.id(), attempts,
                Failures.describe(e), e);
        String reason = "gave up after " + attempts + " attempt(s): " + Failures.describe(e);
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
