package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vmclone.runtime.ApiCallMetrics.Call;
import io.vmclone.testsupport.MockCluster;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiCallMetricsTest {
    @Test
    void namesCallsInRbacTerms() {
        assertThat(Call.of("GET", URI.create("https://k/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/vm1")))
                .isEqualTo(new Call("get", "kubevirt.io/virtualmachines"));
        assertThat(Call.of("GET", URI.create("https://k/apis/cdi.kubevirt.io/v1beta1/datavolumes?labelSelector=x&watch=true")))
                .isEqualTo(new Call("watch", "cdi.kubevirt.io/datavolumes"));
        assertThat(Call.of("GET", URI.create("https://k/apis/kubevirt.io/v1/namespaces/ns/virtualmachines?labelSelector=a")))
                .isEqualTo(new Call("list", "kubevirt.io/virtualmachines"));
        assertThat(Call.of("PUT", URI.create("https://k/apis/vmclone.io/v1beta1/namespaces/ns/virtualmachineclones/c/status")))
                .isEqualTo(new Call("update", "vmclone.io/virtualmachineclones/status"));
        assertThat(Call.of("POST", URI.create("https://k/api/v1/namespaces/ns/events")))
                .isEqualTo(new Call("create", "/events"));
        assertThat(Call.of("GET", URI.create("https://k/api/v1/namespaces/ns")))
                .isEqualTo(new Call("get", "/namespaces"));
        assertThat(Call.of("DELETE", URI.create("https://k/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/vm1")).verb())
                .isEqualTo("delete");
        assertThat(Call.of("GET", URI.create("https://k/version"))).isEqualTo(new Call("get", "/version"));
    }

    @Test
    void countsCallsByVerbResourceAndStatus() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MockCluster cluster = MockCluster.start();
             KubernetesClient kube = ApiCallMetrics.instrument(new KubernetesClientBuilder(), registry)
                     .withConfig(new ConfigBuilder().withMasterUrl(cluster.url()).withRequestRetryBackoffLimit(0).build()).build()) {
            kube.persistentVolumeClaims().inNamespace("default").withName("nope").get(); // 404: get() answers null
            kube.persistentVolumeClaims().inNamespace("default").list();
        }
        // fabric8 calls the interceptor when the body is done, which may be just after the call returned.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count(registry, "get", "404")).isEqualTo(1);
            assertThat(count(registry, "list", "200")).isEqualTo(1);
        });
    }

    @Test
    void countsConnectionFailures() {
        SimpleMeterRegistry down = new SimpleMeterRegistry();
        try (KubernetesClient kube = ApiCallMetrics.instrument(new KubernetesClientBuilder(), down)
                // fabric8 reports connection failures to interceptors when it considers a retry
                .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(1)
                        .withRequestRetryBackoffInterval(10).withConnectionTimeout(500).build()).build()) {
            kube.persistentVolumeClaims().inNamespace("default").list();
        } catch (RuntimeException expected) {
            // no API server
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                down.get("vmclone.kube.requests").tag("code", ApiCallMetrics.CONNECTION_ERROR).counter().count()).isPositive());
    }

    private static double count(SimpleMeterRegistry registry, String verb, String code) {
        var c = registry.find("vmclone.kube.requests").tag("verb", verb).tag("resource", "/persistentvolumeclaims").tag("code", code)
                .counter();
        return c == null ? 0 : c.count();
    }
}
