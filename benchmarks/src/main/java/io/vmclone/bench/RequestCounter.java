package io.vmclone.bench;

import java.util.Map;

/**
 * Counts the API requests of the run by who made them: keys {@code <actor> <METHOD> <resource>[/status]} for
 * writes and {@code <actor> reads} for GET/LIST/WATCH (the per-actor table of docs/benchmarks.md).
 */
interface RequestCounter extends AutoCloseable {
    /** Every request made so far, counted. */
    Map<String, Long> snapshot();

    @Override
    void close();
}
