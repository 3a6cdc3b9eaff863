package io.vmclone.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Clone-level metrics, derived in one place from the events a stage produces and consumes:
 * <ul>
 *   <li>{@code vmclone.clones.{requested,planned,rejected,succeeded,failed,cancelled}} counters, tagged by the producing
 *       stage, and by {@code reason} for rejected and failed;</li>
 *   <li>{@code vmclone.clone.duration}: requested → terminal event, recorded by a stage that consumes both (the status
 *       reporter); times are the events' own {@code time} attributes, so it is end-to-end, not processing time;</li>
 *   <li>{@code vmclone.clone.volume.progress}: per in-flight clone, the overall DataVolume progress as a ratio, 0 to 1 (the
 *       executor), removed when the clone ends.</li>
 * </ul>
 * A transaction that aborts and is retried can count its outputs twice; the counters are approximate by that much.
 * Events without the optional {@code time} attribute count, but take no part in {@code vmclone.clone.duration}.
 */
public final class CloneMetrics {
    private static final int MAX_REMEMBERED = 100_000;

    private final MeterRegistry registry;
    private final String stage;
    private final Map<String, Long> requestedAt = BoundedMap.oldestInserted(MAX_REMEMBERED);
    private final Map<String, ProgressGauge> progress = new ConcurrentHashMap<>();

    private record ProgressGauge(Gauge gauge, AtomicReference<Double> ratio) {}

    public CloneMetrics(MeterRegistry registry, String stage) {
        this.registry = registry;
        this.stage = stage;
    }

    /** Called for every event the stage produces. */
    public void produced(CloneEvent event) {
        if (event.cloneRef() == null) {
            return;
        }
        switch (event.type()) {
            case REQUESTED -> outcome("requested").increment();
            case PLANNED -> outcome("planned").increment();
            case REJECTED -> outcome("rejected", event.data(Rejected.class).reason()).increment();
            case SUCCEEDED -> {
                outcome("succeeded").increment();
                forgetProgress(event);
            }
            case FAILED -> {
                outcome("failed", event.data(Failed.class).reason()).increment();
                forgetProgress(event);
            }
            case CANCELLED -> {
                outcome("cancelled").increment();
                forgetProgress(event);
            }
            case PROGRESSED -> progressed(event);
            default -> { }
        }
    }

    /** Called for every event the stage consumes and handles. */
    public void consumed(CloneEvent event) {
        if (event.cloneRef() == null) {
            return; // an external request: not a clone yet
        }
        String key = event.cloneRef().key();
        switch (event.type()) {
            case REQUESTED -> {
                if (event.time() == null) {
                    return; // time is optional in CloudEvents: without it there is no duration to measure
                }
                synchronized (requestedAt) {
                    requestedAt.putIfAbsent(key, event.time().toInstant().toEpochMilli());
                }
            }
            case SUCCEEDED, FAILED, REJECTED, CANCELLED -> {
                Long start;
                synchronized (requestedAt) {
                    start = requestedAt.remove(key);
                }
                if (start != null && event.time() != null) {
                    long millis = event.time().toInstant().toEpochMilli() - start;
                    Timer.builder("vmclone.clone.duration").description(MetricCatalogue.HELP.get("vmclone.clone.duration"))
                            .tag("stage", stage).tag("outcome", event.type().slug())
                            .serviceLevelObjectives(MetricCatalogue.BUCKETS.get("vmclone.clone.duration")).register(registry)
                            .record(Duration.ofMillis(Math.max(0, millis)));
                }
            }
            default -> { }
        }
    }

    private Counter outcome(String what) {
        return registry.counter("vmclone.clones." + what, "stage", stage);
    }

    private Counter outcome(String what, String reason) {
        return registry.counter("vmclone.clones." + what, "stage", stage, "reason", reason == null ? "unknown" : reason);
    }

    private void progressed(CloneEvent event) {
        Double percent = percent(event.data(Progressed.class).progress());
        if (percent == null) {
            return;
        }
        String key = event.cloneRef().key();
        progress.computeIfAbsent(key, k -> {
            AtomicReference<Double> value = new AtomicReference<>(0.0);
            Gauge gauge = Gauge.builder("vmclone.clone.volume.progress", value, AtomicReference::get)
                    .description(MetricCatalogue.HELP.get("vmclone.clone.volume.progress"))
                    .baseUnit("ratio").tag("stage", stage).tag("clone", k).register(registry);
            return new ProgressGauge(gauge, value);
        }).ratio().set(percent / 100.0); // Prometheus convention: ratios, not percents
    }

    private void forgetProgress(CloneEvent event) {
        ProgressGauge gauge = progress.remove(event.cloneRef().key());
        if (gauge != null) {
            registry.remove(gauge.gauge());
        }
    }

    /** "42.50%" → 42.5; null for "N/A" or anything else. */
    static Double percent(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
