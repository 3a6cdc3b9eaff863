package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.vmclone.runtime.StageService;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealApiServer;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a real control plane does to the services' watches: kube-apiserver killed and started again over the same
 * etcd, and etcd's history compacted while they were away, so that their watches resume from a resourceVersion
 * that is gone (410) and must list again. Every clone still ends, each once, with one VM.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class ApiServerFaultsTest {
    private RealPipeline p;

    @AfterEach
    void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void clonesInFlightAcrossAnApiServerRestartAllEndOnceWithOneVmEach(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.prepare(cluster, broker, "restart", Duration.ofSeconds(4)).startServices();
        List<String> before = IntStream.range(0, 4).mapToObj(i -> "before-" + i).toList();
        before.forEach(n -> p.createClone(n, CloneSpec.of("fedora", n + "-vm")));
        await().atMost(RealPipeline.BOUND).until(() -> p.madeByClones(KubeResources.DATA_VOLUME).size() == before.size());

        cluster.server().stopApiServer();
        StageService bridge = p.pipeline().services().get(0);
        try {
            await().atMost(RealPipeline.BOUND).until(() -> !bridge.ready()); // readiness tells the API server is away
        } finally {
            cluster.server().startAgain(); // the other tests share this server
        }
        await().atMost(RealPipeline.BOUND).until(bridge::ready);

        List<String> after = IntStream.range(0, 3).mapToObj(i -> "after-" + i).toList();
        after.forEach(n -> p.createClone(n, CloneSpec.of("fedora", n + "-vm")));
        for (String n : concat(before, after)) {
            p.awaitPhase(n, "Succeeded");
            assertThat(p.history(n)).as(n).filteredOn(t -> t == EventType.REQUESTED || t == EventType.SUCCEEDED).hasSize(2);
        }
        assertThat(p.madeByClones(KubeResources.VIRTUAL_MACHINE)).hasSize(before.size() + after.size());
    }

    @Test
    void watchesResumedAfterCompactionGet410AndListAgainMissingNothing(RealCluster cluster, KafkaBroker broker) throws Exception {
        p = RealPipeline.prepare(cluster, broker, "compact", Duration.ofMinutes(10)).startServices();
        p.createClone("in-flight", CloneSpec.of("fedora", "in-flight-vm"));
        await().atMost(RealPipeline.BOUND).until(() -> p.history("in-flight").contains(EventType.PROGRESSED));
        String oldVersion = p.clone("in-flight").getMetadata().getResourceVersion();

        RealApiServer server = cluster.server();
        GenericKubernetesResource inFlight = p.clone("in-flight");
        try (RealApiServer.SecondApiServer second = server.startSecond()) {
            server.stopApiServer(); // the services' watches break; they keep trying this server
            KubernetesClient other = second.admin();
            other.resource(inFlight).delete(); // a deletion their watches never see
            other.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), p.ns(), "while-away",
                    CloneSpec.of("fedora", "while-away-vm"), Map.of())).create();
            for (int i = 0; i < 5; i++) { // history past every resourceVersion the services saw
                other.configMaps().inNamespace(p.ns()).resource(new ConfigMapBuilder().withNewMetadata().withName("bump-" + i)
                        .endMetadata().build()).create();
            }
            server.compactEtcd();
        } finally {
            server.startAgain(); // the other tests share this server
        }
        assertThat(watchFrom(cluster, oldVersion)).as("a watch from before the compaction").isEqualTo(410);

        await().atMost(RealPipeline.BOUND).until(() -> p.history("in-flight").contains(EventType.CANCELLED));
        await().atMost(RealPipeline.BOUND).until(() -> p.madeByClones(KubeResources.VIRTUAL_MACHINE).stream()
                .noneMatch(vm -> vm.getMetadata().getName().equals("in-flight-vm")));
        assertThat(p.history("in-flight")).filteredOn(t -> t == EventType.REQUESTED || t == EventType.CANCEL_REQUESTED).hasSize(2);
        await().atMost(RealPipeline.BOUND).until(() -> p.history("while-away").contains(EventType.PROGRESSED));
        assertThat(p.history("while-away")).filteredOn(t -> t == EventType.REQUESTED).hasSize(1);
    }

    /** The HTTP code a new watch from {@code resourceVersion} on clones ends with (410 when it is compacted away). */
    private int watchFrom(RealCluster cluster, String resourceVersion) throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        try (var watch = cluster.client().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(p.ns())
                .withResourceVersion(resourceVersion).watch(new Watcher<GenericKubernetesResource>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource resource) {}

                    @Override
                    public void onClose(WatcherException cause) {
                        closed.complete(cause.asClientException().getCode());
                    }
                })) {
            return closed.get(30, TimeUnit.SECONDS);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            return e.getCode(); // refused before the stream opened
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
