package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.events.Succeeded;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CloneMetricsTest {
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final CloneRef A = new CloneRef("default", "a", "uid-a");
    private static final CloneRef B = new CloneRef("default", "b", "uid-b");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CloneMetrics metrics = new CloneMetrics(registry, "executor");

    @Test
    void countsOutcomesByReason() {
        metrics.produced(rejected(A, Reasons.SOURCE_NOT_FOUND));
        metrics.produced(rejected(B, Reasons.SOURCE_NOT_FOUND));
        metrics.produced(failed(A, Reasons.VOLUME_CLONE_FAILED));
        metrics.produced(succeeded(B, T0));

        assertThat(registry.get("vmclone.clones.rejected").tag("reason", Reasons.SOURCE_NOT_FOUND).tag("stage", "executor")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("vmclone.clones.failed").tag("reason", Reasons.VOLUME_CLONE_FAILED).counter().count()).isEqualTo(1);
        assertThat(registry.get("vmclone.clones.succeeded").counter().count()).isEqualTo(1);
    }

    @Test
    void endToEndLatencyIsTerminalEventTimeMinusRequestedTime() {
        metrics.consumed(requested(A, T0));
        metrics.consumed(requested(A, T0.plusSeconds(5))); // a replayed request keeps the first time
        metrics.consumed(succeeded(A, T0.plusSeconds(90)));
        metrics.consumed(succeeded(B, T0.plusSeconds(90))); // its request was never seen: not recorded

        var timer = registry.get("vmclone.clone.duration").tag("outcome", "succeeded").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(90.0);
    }

    @Test
    void progressGaugeFollowsAnInFlightCloneAndIsRemovedWhenItEnds() {
        metrics.produced(progressed(A, "42.50%"));
        assertThat(registry.get("vmclone.clone.volume.progress").tag("clone", "default/a").gauge().value()).isEqualTo(0.425);
        metrics.produced(progressed(A, "N/A")); // unknown: keeps the last known value
        metrics.produced(progressed(A, "80.00%"));
        assertThat(registry.get("vmclone.clone.volume.progress").tag("clone", "default/a").gauge().value()).isEqualTo(0.8);

        metrics.produced(succeeded(A, T0));
        assertThat(registry.find("vmclone.clone.volume.progress").gauges()).isEmpty();
    }

    @Test
    void prometheusNamesAreTheDocumentedOnes() {
        var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        CloneMetrics m = new CloneMetrics(prometheus, "executor");
        m.produced(progressed(A, "10%"));
        m.produced(failed(B, Reasons.VOLUME_CLONE_FAILED));
        m.consumed(requested(B, T0));
        m.consumed(failed(B, Reasons.VOLUME_CLONE_FAILED));
        assertThat(prometheus.scrape()).contains("vmclone_clone_volume_progress_ratio{clone=\"default/a\",stage=\"executor\"} 0.1")
                .contains("vmclone_clones_failed_total{reason=\"" + Reasons.VOLUME_CLONE_FAILED + "\",stage=\"executor\"} 1.0")
                .contains("vmclone_clone_duration_seconds_bucket{outcome=\"failed\",stage=\"executor\"");
    }

    @Test
    void externalRequestsWithoutACloneAreIgnored() {
        CloneEvent request = new CloneEvent("r1", CloneEvent.sourceOf("client"), EventType.REQUEST, T0,
                new io.vmclone.schemas.events.CloneRequest("default", "a", CloneSpec.of("src", "dst")), null);
        metrics.consumed(request);
        metrics.produced(request);
        assertThat(registry.getMeters()).isEmpty();
    }

    /** CloudEvents' time is optional: events without it are counted, and only the duration is left out. */
    @Test
    void eventsWithoutTimeAreCountedAndLeaveTheDurationAlone() {
        metrics.consumed(requested(A, null));
        metrics.consumed(succeeded(A, null));
        metrics.consumed(requested(B, T0));
        metrics.consumed(succeeded(B, null)); // the end has no time: no duration for B either
        metrics.produced(succeeded(A, null));

        assertThat(registry.find("vmclone.clone.duration").timers()).allSatisfy(t -> assertThat(t.count()).isZero());
        assertThat(registry.get("vmclone.clones.succeeded").counter().count()).isEqualTo(1);
    }

    @Test
    void percentParsesCdiProgress() {
        assertThat(CloneMetrics.percent("100.0%")).isEqualTo(100.0);
        assertThat(CloneMetrics.percent("3")).isEqualTo(3.0);
        assertThat(CloneMetrics.percent("N/A")).isNull();
        assertThat(CloneMetrics.percent(null)).isNull();
    }

    private static CloneEvent requested(CloneRef ref, OffsetDateTime at) {
        return CloneEvent.of("bridge", EventType.REQUESTED, new Requested(ref, 1L, CloneSpec.of("src", "dst"),
                Requester.trusted(null, "test"), Origin.resource()), at, null);
    }

    private static CloneEvent rejected(CloneRef ref, String reason) {
        return CloneEvent.of("planner", EventType.REJECTED, new Rejected(ref, "planner", reason, "spec.source", "no", null), T0, null);
    }

    private static CloneEvent failed(CloneRef ref, String reason) {
        return CloneEvent.of("executor", EventType.FAILED, new Failed(ref, "executor", reason, "broken", "dst"), T0, null);
    }

    private static CloneEvent succeeded(CloneRef ref, OffsetDateTime at) {
        return CloneEvent.of("executor", EventType.SUCCEEDED, new Succeeded(ref, "dst", List.of()), at, null);
    }

    private static CloneEvent progressed(CloneRef ref, String progress) {
        return CloneEvent.of("executor", EventType.PROGRESSED, new Progressed(ref, Progressed.CLONING_VOLUMES, "dst", progress, null),
                T0, progress);
    }
}
