package io.vmclone.executor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a progress change is worth an event: always on a volume phase change or a move of at
 * least {@code minPoints} overall; any other change at most once per {@code minIntervalMillis} per clone
 * (a suppressed change is emitted by a later call, e.g. the follower's periodic tick).
 */
public final class ProgressCoalescer {
    private record Last(List<String> phases, double percent, long at) {}

    private final double minPoints;
    private final long minIntervalMillis;
    private final Map<String, Last> last = new ConcurrentHashMap<>();

    public ProgressCoalescer(double minPoints, long minIntervalMillis) {
        this.minPoints = minPoints;
        this.minIntervalMillis = minIntervalMillis;
    }

    /** @param percent the overall percentage, 0–100 */
    public boolean shouldEmit(String uid, List<String> phases, double percent, long nowMillis) {
        Last previous = last.get(uid);
        boolean emit = previous == null
                || !previous.phases().equals(phases)
                || Math.abs(percent - previous.percent()) >= minPoints
                || (percent != previous.percent() && nowMillis - previous.at() >= minIntervalMillis);
        if (emit) {
            last.put(uid, new Last(List.copyOf(phases), percent, nowMillis));
        }
        return emit;
    }

    public void forget(String uid) {
        last.remove(uid);
    }
}
