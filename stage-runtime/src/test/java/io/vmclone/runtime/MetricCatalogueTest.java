package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What an operator's Prometheus sees: a HELP text on every metric, a dozen buckets, Kafka's lag once per topic. */
class MetricCatalogueTest {
    private final PrometheusMeterRegistry registry = StageService.newRegistry(
            new Topics(Topics.DEFAULT_EVENTS, Topics.DEFAULT_INTAKE, Topics.DEFAULT_DLQ, 4));

    @Test
    void everyVmcloneMetricHasItsHelpText() {
        registry.counter("vmclone.stage.transactions", "stage", "planner").increment();
        registry.counter("vmclone.kube.requests", "verb", "get", "resource", "kubevirt.io/virtualmachines", "code", "200").increment();
        assertThat(registry.scrape()).contains("# HELP vmclone_stage_transactions_total Kafka transactions committed")
                .contains("# HELP vmclone_kube_requests_total Kubernetes API calls by RBAC verb, resource and HTTP status");
        List<String> helpless = registry.scrape().lines().filter(l -> l.matches("# HELP \\S+ ?$")).toList();
        assertThat(helpless).isEmpty();
    }

    @Test
    void latencyHistogramsHaveADozenBucketsFromMillisecondsToHours() {
        StageMetrics metrics = new StageMetrics(registry, "planner");
        Timer timer = metrics.handled(EventType.REQUESTED, "ok");
        timer.record(Duration.ofMillis(30));
        long buckets = registry.scrape().lines().filter(l -> l.startsWith("vmclone_stage_handle_seconds_bucket{")).count();
        assertThat(buckets).as("bounds plus +Inf").isEqualTo(MetricCatalogue.BUCKETS.get("vmclone.stage.handle").length + 1);
        assertThat(registry.scrape()).contains("vmclone_stage_handle_seconds_bucket{outcome=\"ok\",stage=\"planner\",type=\"requested\",le=\"0.05\"} 1");
    }

    @Test
    void kafkasUnderscoreCopyOfADottedTopicIsDropped() {
        registry.gauge("kafka.consumer.fetch.manager.records.lag", Tags.of("topic", "vmclone.events"), 3);
        registry.gauge("kafka.consumer.fetch.manager.records.lag", Tags.of("topic", "vmclone_events"), 3);
        registry.gauge("kafka.consumer.fetch.manager.records.lag", Tags.of("topic", "other_topic"), 1);
        assertThat(registry.scrape()).contains("topic=\"vmclone.events\"").contains("topic=\"other_topic\"")
                .doesNotContain("topic=\"vmclone_events\"");
    }

    @Test
    void theCatalogueAndTheOperationsTableNameTheSameMetrics() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "operations.md"));
        for (String name : MetricCatalogue.HELP.keySet()) {
            assertThat(docs).as(name).contains("`" + name.replace('.', '_'));
        }
        Matcher documented = Pattern.compile("`(vmclone_[a-z_]+?)(_total|_seconds|_ratio)?`").matcher(docs);
        while (documented.find()) {
            String name = documented.group(1).replace('_', '.');
            assertThat(MetricCatalogue.HELP).as("documented metric " + documented.group()).containsKey(name);
        }
    }
}
