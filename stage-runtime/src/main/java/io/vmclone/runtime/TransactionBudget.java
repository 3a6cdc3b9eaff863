package io.vmclone.runtime;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The open transaction's time budget: half the producer's transaction timeout. Past it no new record or retry
 * starts, so a slow API server makes the batch roll back and come again instead of outliving the transaction
 * (the coordinator would abort it and fence this producer, which stops the stage). Every attempt of every
 * record of a batch runs under this one budget.
 */
final class TransactionBudget {
    /** The producer's transaction timeout when {@code KAFKA_TRANSACTION_TIMEOUT_MS} does not set one. */
    static final long DEFAULT_TIMEOUT_MILLIS = 60_000;

    private final long budgetNanos;
    /** When the open transaction began (System.nanoTime). */
    private volatile long started;

    TransactionBudget(StageSettings settings) {
        this.budgetNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis(settings) / 2);
    }

    /** The producer's transaction timeout: 60 s unless {@code KAFKA_TRANSACTION_TIMEOUT_MS} says otherwise. */
    static long timeoutMillis(StageSettings settings) {
        String configured = settings.kafkaPassThrough().get("transaction.timeout.ms");
        return configured == null ? DEFAULT_TIMEOUT_MILLIS : Long.parseLong(configured.trim());
    }

    void began() {
        started = System.nanoTime();
    }

    /** Throws {@link Exceeded} once the open transaction has used its budget (thread-safe). */
    void check() {
        long open = System.nanoTime() - started;
        if (open > budgetNanos) {
            throw new Exceeded(TimeUnit.NANOSECONDS.toMillis(open));
        }
    }

    /** The open transaction has used its time budget: the batch is rolled back and comes again. */
    static final class Exceeded extends RetriableException {
        Exceeded(long millis) {
            super("the transaction has been open " + millis + " ms, half its timeout: rolling the batch back to retry");
        }
    }
}
