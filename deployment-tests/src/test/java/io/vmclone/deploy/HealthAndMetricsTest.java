package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vmclone.planner.PlannerHandler;
import io.vmclone.runtime.ApiCallMetrics;
import io.vmclone.runtime.HealthProbe;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.Reasons;
import io.vmclone.status.StatusReporterHandler;
import io.vmclone.status.StatusReporterMain;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.MockCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What an operator's probes and Prometheus see on a running stage. */
@ExtendWith(KafkaBrokerExtension.class)
class HealthAndMetricsTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MockCluster cluster;
    private Map<String, String> env;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @BeforeEach
    void start(KafkaBroker broker) {
        cluster = MockCluster.start();
        // The API server's /version: what readiness asks (the fabric8 mock has no default answer).
        cluster.server().expect().get().withPath("/version")
                .andReturn(200, Map.of("major", "1", "minor", "31", "gitVersion", "v1.31.0")).always();
        env = Requests.env(broker, 3);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        cluster.close();
    }

    private StageService planner(Map<String, String> settings, KubernetesClient kube) {
        open.add(kube);
        StageService s = StageService.start(StageSettings.from(PlannerHandler.STAGE, settings), kube, PlannerHandler::new, 0);
        open.add(s);
        return s;
    }

    @Test
    void healthzAndReadyzAnswerOnceConsumingAndTheApiServerAnswers() throws Exception {
        StageService planner = planner(env, cluster.newClient());
        await().atMost(BOUND).until(() -> status(planner, "/readyz") == 200);
        assertThat(status(planner, "/healthz")).isEqualTo(200);
        assertThat(HealthProbe.check(URI.create("http://localhost:" + planner.healthPort() + "/readyz"))).isTrue();

        planner.loop().close(); // the loop stops (as after a fatal Kafka error): no longer alive nor ready
        assertThat(status(planner, "/healthz")).isEqualTo(503);
        assertThat(status(planner, "/readyz")).isEqualTo(503);
        assertThat(HealthProbe.check(URI.create("http://localhost:" + planner.healthPort() + "/readyz"))).isFalse();
    }

    @Test
    void notReadyWhileTheApiServerDoesNotAnswerEvenWithPartitionsAssigned() throws Exception {
        KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(1000).withRequestTimeout(1000).build()).build();
        StageService planner = planner(env, unreachable);
        await().atMost(BOUND).until(() -> planner.loop().ready());
        assertThat(status(planner, "/readyz")).isEqualTo(503);
        assertThat(status(planner, "/healthz")).isEqualTo(200);
    }

    @Test
    void metricsCountClonesByOutcomeAndReasonWithLatenciesAndConsumerLag() throws Exception {
        Requests.sampleVm(cluster);
        // As ServiceMain wires it: the client's API call counter and the stage share one registry.
        var registry = StageService.newRegistry(StageSettings.from(PlannerHandler.STAGE, env).topics());
        KubernetesClient plannerKube = ApiCallMetrics.instrument(new KubernetesClientBuilder(), registry)
                .withConfig(new ConfigBuilder().withMasterUrl(cluster.url()).build()).build();
        open.add(plannerKube);
        StageService planner = StageService.start(StageSettings.from(PlannerHandler.STAGE, env), plannerKube, PlannerHandler::new, 0,
                registry);
        open.add(planner);
        KubernetesClient reporterKube = cluster.newClient();
        open.add(reporterKube);
        StageService reporter = StageService.start(StageSettings.from(StatusReporterMain.SERVICE, env), reporterKube,
                StatusReporterHandler::new, 0);
        open.add(reporter);
        await().atMost(BOUND).until(() -> planner.loop().ready() && reporter.loop().ready());

        Requests.publish(env, List.of(Requests.requested("a", "fedora", "copy-a"), Requests.requested("b", "fedora", "copy-b"),
                Requests.requested("ghost", "no-such-vm", "copy-ghost")));

        String metrics = await().atMost(BOUND).until(() -> scrape(planner),
                m -> m.contains("vmclone_clones_planned_total{stage=\"planner\"} 2.0")
                        && m.contains("vmclone_clones_rejected_total{reason=\"" + Reasons.SOURCE_NOT_FOUND + "\",stage=\"planner\"} 1.0"));
        assertThat(metrics).contains("vmclone_stage_handle_seconds_bucket{")
                .contains("vmclone_stage_handle_seconds_count{outcome=\"ok\",stage=\"planner\",type=\"requested\"} 3")
                .contains("kafka_consumer_fetch_manager_records_lag_max")
                .contains("jvm_memory_used_bytes");
        // API calls by verb, resource and status: the sources were read, the missing one answered 404.
        await().atMost(BOUND).until(() -> scrape(planner),
                m -> m.contains("vmclone_kube_requests_total{code=\"200\",resource=\"kubevirt.io/virtualmachines\",verb=\"get\"}")
                        && m.contains("vmclone_kube_requests_total{code=\"404\",resource=\"kubevirt.io/virtualmachines\",verb=\"get\"}"));
        // End to end: the reporter sees both the request and the terminal event of the rejected clone.
        await().atMost(BOUND).until(() -> scrape(reporter),
                m -> m.contains("vmclone_clone_duration_seconds_count{outcome=\"rejected\",stage=\"status-reporter\"} 1"));
    }

    private static int status(StageService s, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + s.healthPort() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String scrape(StageService s) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + s.healthPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
