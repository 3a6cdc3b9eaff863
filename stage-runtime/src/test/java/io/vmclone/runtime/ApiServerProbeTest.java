package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiServerProbeTest {
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicBoolean answers = new AtomicBoolean(true);
    private Instant now = Instant.parse("2026-11-25T12:00:00Z");

    private ApiServerProbe probe() {
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now; }
        };
        return new ApiServerProbe(() -> {
            calls.incrementAndGet();
            return answers.get();
        }, clock, Duration.ofSeconds(5));
    }

    @Test
    void asksOnceWithinTheCacheWindowThenAgain() {
        ApiServerProbe probe = probe();
        assertThat(probe.getAsBoolean()).isTrue();
        answers.set(false);
        now = now.plusSeconds(4);
        assertThat(probe.getAsBoolean()).as("cached").isTrue();
        assertThat(calls).hasValue(1);
        now = now.plusSeconds(1);
        assertThat(probe.getAsBoolean()).as("asked again after 5 s").isFalse();
        assertThat(calls).hasValue(2);
    }

    @Test
    void aClientErrorMeansNotReachable() {
        var kube = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(500).build()).build();
        try (kube) {
            assertThat(ApiServerProbe.of(kube).getAsBoolean()).isFalse();
        }
    }
}
