package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.StorageSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A VirtualMachineClone travels bridge → planner → executor → status-reporter over a real Kafka broker. */
@ExtendWith(KafkaBrokerExtension.class)
class PipelineEndToEndTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private KubeCluster cluster;
    private String ns;
    private LocalPipeline pipeline;
    private Map<String, String> env;
    private KubernetesClient kube;

    /**
     * The API the pipeline runs against; {@link PipelineOnIndexedApiTest} runs the same tests on the load driver's,
     * {@link PipelineOnRealApiTest} on a real kube-apiserver with each service's own ServiceAccount.
     */
    protected KubeCluster startCluster() {
        return MockCluster.start();
    }

    /** Whether the cluster is this test's own (closed after it) or shared by the JVM's tests. */
    protected boolean ownsCluster() {
        return true;
    }

    @BeforeEach
    void start(KafkaBroker broker) {
        cluster = startCluster();
        kube = cluster.client();
        ns = cluster.newNamespace("e2e");
        env = StageSettings.isolatedEnv(broker.bootstrapServers(), "e2e", 3);
        env.put(StageSettings.ENV_NAMESPACES, ns); // a shared API server holds other tests' clones too
        pipeline = LocalPipeline.start(env, cluster::serviceClient, -1);
        await().atMost(BOUND).until(pipeline::ready);
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (ownsCluster()) {
            cluster.close();
        }
    }

    @Test
    void cloneOfStoppedVmEndsSucceededWithNewIdentityAndClonedDisk() {
        cluster.apply("/samples/fedora.yaml", ns);
        createClone("fedora-clone", CloneSpec.of("fedora", "fedora-copy"));

        GenericKubernetesResource target = await().atMost(BOUND).until(() -> vm("fedora-copy"), t -> t != null);
        Map<String, Object> spec = specOf(target);
        assertThat(spec.get("runStrategy")).isEqualTo("Halted");
        assertThat(interfaces(target)).singleElement()
                .satisfies(iface -> assertThat((String) iface.get("macAddress")).as("MAC is reset").isNullOrEmpty());

        List<GenericKubernetesResource> dvs = await().atMost(BOUND).until(this::clonedDataVolumes, l -> !l.isEmpty());
        assertThat(dvs).singleElement().satisfies(dv -> {
            Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) dv.getAdditionalProperties().get("spec")).get("source");
            assertThat(((Map<?, ?>) source.get("pvc")).get("name")).isEqualTo("fedora-root");
        });
        assertThat(cloneStatus("fedora-clone")).isNotNull()
                .extracting(CloneStatus::phase).isNotEqualTo("Succeeded"); // not before the disk is copied

        // Play CDI: the copy finishes.
        StorageSimulator.setPhase(kube, ns, dvs.get(0).getMetadata().getName(), "Succeeded", "100.0%");

        CloneStatus status = await().atMost(BOUND).until(() -> cloneStatus("fedora-clone"),
                s -> s != null && "Succeeded".equals(s.phase()));
        assertThat(status.targetName()).isEqualTo("fedora-copy");
        assertThat(status.condition(CloneStatus.READY).status()).isEqualTo("True");
        assertThat(status.condition(CloneStatus.PROGRESSING).status()).isEqualTo("False");

        List<EventType> history = history("fedora-clone");
        assertThat(history).first().isEqualTo(EventType.REQUESTED);
        assertThat(history).last().isEqualTo(EventType.SUCCEEDED);
        assertThat(history).containsSubsequence(EventType.REQUESTED, EventType.PLANNED, EventType.PROGRESSED, EventType.SUCCEEDED);
        assertThat(history).filteredOn(t -> t == EventType.SUCCEEDED).hasSize(1);
    }

    @Test
    void cloneOfMissingSourceFailsNamingTheSourceAndCreatesNothing() {
        createClone("ghost-clone", CloneSpec.of("no-such-vm", "ghost-copy"));

        CloneStatus status = await().atMost(BOUND).until(() -> cloneStatus("ghost-clone"),
                s -> s != null && "Failed".equals(s.phase()));
        CloneStatus.Condition ready = status.condition(CloneStatus.READY);
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.reason()).isEqualTo(Reasons.SOURCE_NOT_FOUND);
        assertThat(ready.message()).contains("no-such-vm");
        assertThat(history("ghost-clone")).containsExactly(EventType.REQUESTED, EventType.REJECTED);
        assertThat(kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns).list().getItems()).isEmpty();
        assertThat(kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(ns).list().getItems()).isEmpty();
    }

    private void createClone(String name, CloneSpec spec) {
        kube.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), ns, name, spec, Map.of())).create();
    }

    private CloneStatus cloneStatus(String name) {
        GenericKubernetesResource r = kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup()))
                .inNamespace(ns).withName(name).get();
        return r == null ? null : VirtualMachineClones.status(r);
    }

    private GenericKubernetesResource vm(String name) {
        return kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns).withName(name).get();
    }

    private List<GenericKubernetesResource> clonedDataVolumes() {
        return kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(ns).list().getItems().stream()
                .filter(dv -> dv.getMetadata().getLabels() != null && dv.getMetadata().getLabels().containsKey(CloneLabels.CLONE_UID))
                .toList();
    }

    private List<EventType> history(String clone) {
        StageSettings settings = StageSettings.from("test", env);
        return new EventLogReader(settings).readClone(ns + "/" + clone).stream().map(e -> e.event().type()).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> specOf(GenericKubernetesResource vm) {
        return (Map<String, Object>) vm.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> interfaces(GenericKubernetesResource vm) {
        Map<String, Object> template = (Map<String, Object>) specOf(vm).get("template");
        Map<String, Object> domain = (Map<String, Object>) ((Map<String, Object>) template.get("spec")).get("domain");
        return (List<Map<String, Object>>) ((Map<String, Object>) domain.get("devices")).get("interfaces");
    }
}
