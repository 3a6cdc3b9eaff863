package io.vmclone.bench;

import java.util.Arrays;
import java.util.Locale;

/** Completion figures of one measured run: count, wall time, throughput and latency percentiles. */
public record Latencies(int count, double seconds, double perSecond, double p50Millis, double p95Millis, double p99Millis,
                        double maxMillis) {

    /**
     * @param nanos     per-item latency in nanoseconds
     * @param wallNanos first start → last completion
     */
    public static Latencies of(long[] nanos, long wallNanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double seconds = wallNanos / 1e9;
        return new Latencies(sorted.length, seconds, sorted.length / seconds, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    public String line() {
        return String.format(Locale.ROOT, "%d in %.2f s = %.1f/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
                count, seconds, perSecond, p50Millis, p95Millis, p99Millis, maxMillis);
    }
}
