package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.runtime.MetricCatalogue;
import io.vmclone.schemas.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring: every alert and dashboard query names metrics the services really expose (vmclone's from
 * {@link MetricCatalogue}; Kafka's lag, which HealthAndMetricsTest scrapes from a running stage; kube-state-metrics'
 * by name), every alert says what it means, and the dashboard shows what operators ask for.
 */
class MonitoringManifestsTest {
    /** Metrics from outside vmclone's catalogue that the queries may use. */
    private static final Set<String> EXTERNAL = Set.of("kafka_consumer_fetch_manager_records_lag_max",
            "kube_deployment_status_replicas_available", "kube_deployment_spec_replicas");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase",
            "changes", "histogram_quantile", "and", "or", "unless", "bool", "offset");
    /** What a Micrometer meter becomes in Prometheus: counters end in _total, timers in _seconds_*, the progress in _ratio. */
    private static final List<String> SUFFIXES = List.of("", "_total", "_seconds_bucket", "_seconds_count", "_seconds_sum",
            "_seconds_max", "_ratio");

    @Test
    void everyQueryNamesMetricsTheServicesExpose() throws Exception {
        Set<String> known = new HashSet<>(EXTERNAL);
        MetricCatalogue.names().forEach(n -> SUFFIXES.forEach(s -> known.add(n.replace('.', '_') + s)));
        List<String> queries = new ArrayList<>();
        alerts().forEach(a -> queries.add(a.path("expr").asText()));
        dashboard().path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        assertThat(queries).hasSizeGreaterThan(10);
        for (String q : queries) {
            assertThat(metricsIn(q)).as(q).isNotEmpty().allSatisfy(m -> assertThat(known).as("metric " + m + " in " + q).contains(m));
        }
    }

    @Test
    void everyAlertHasASummaryAndTheOnesTheOperationsGuideNames() throws Exception {
        List<JsonNode> alerts = alerts();
        assertThat(alerts).allSatisfy(a -> assertThat(a.path("annotations").path("summary").asText()).as(a.path("alert").asText())
                .isNotBlank());
        assertThat(alerts).extracting(a -> a.path("alert").asText()).contains("VmcloneConsumerLagGrowing", "VmcloneDeadLetters",
                "VmcloneDeploymentUnavailable", "VmcloneCloneStalled");
    }

    @Test
    void theDashboardShowsOutcomesProgressLatencyLagAndApiRequests() throws Exception {
        String queries = dashboard().findValuesAsText("expr").toString();
        assertThat(queries).contains("vmclone_clones_failed_total", "vmclone_clone_volume_progress_ratio",
                "vmclone_stage_handle_seconds_bucket", "kafka_consumer_fetch_manager_records_lag_max", "vmclone_kube_requests_total");
        JsonNode k = Json.YAML.readTree(ProjectFiles.read("deploy/monitoring/kustomization.yaml"));
        k.path("resources").forEach(r -> assertThat(ProjectFiles.root().resolve("deploy/monitoring").resolve(r.asText())).exists());
    }

    /** The metric names of a PromQL expression: labels, strings, ranges and grouping clauses taken out. */
    static Set<String> metricsIn(String promql) {
        String bare = promql.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static List<JsonNode> alerts() throws Exception {
        JsonNode rule = Json.YAML.readTree(ProjectFiles.read("deploy/monitoring/prometheusrule.yaml"));
        List<JsonNode> alerts = new ArrayList<>();
        rule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(alerts::add));
        return alerts;
    }

    private static JsonNode dashboard() throws Exception {
        return Json.MAPPER.readTree(ProjectFiles.read("deploy/monitoring/vmclone-dashboard.json"));
    }
}
