package io.vmclone.executor;

import io.vmclone.schemas.events.VolumeProgress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a progress change is worth an event: on any volume phase change, on a gain of at
 * least {@code minPoints} overall, and otherwise at most once per {@code minIntervalMillis} per clone.
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

    public boolean shouldEmit(String uid, List<VolumeProgress> volumes, String overall, long nowMillis) {
        List<String> phases = volumes.stream().map(VolumeProgress::phase).toList();
        double percent = Double.parseDouble(overall.substring(0, overall.length() - 1));
        Last previous = last.get(uid);
        boolean emit = previous == null
                || !previous.phases().equals(phases)
                || (percent - previous.percent() >= minPoints)
                || (percent != previous.percent() && nowMillis - previous.at() >= minIntervalMillis);
        if (emit) {
            last.put(uid, new Last(phases, percent, nowMillis));
        }
        return emit;
    }

    public void forget(String uid) {
        last.remove(uid);
    }
}
