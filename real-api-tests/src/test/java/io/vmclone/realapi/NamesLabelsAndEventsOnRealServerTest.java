package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.StorageSimulator;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What only a real server checks: names and label values within their limits, Events it accepts and kubectl
 * shows, storage that waits for a first consumer, and no strategic-merge patch on a custom resource.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class NamesLabelsAndEventsOnRealServerTest {
    private RealCluster cluster;
    private RealPipeline p;

    @BeforeEach
    void start(RealCluster cluster, KafkaBroker broker) {
        this.cluster = cluster;
        p = RealPipeline.start(cluster, broker, "names");
    }

    @AfterEach
    void stop() {
        p.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {63, 64, 253})
    void cloneNamesUpToTheObjectNameLimitSucceedWithValidLabels(int length) {
        String name = ("c" + "x".repeat(length)).substring(0, length);
        String target = "t-" + length;
        p.createClone(name, CloneSpec.of("fedora", target));
        p.awaitPhase(name, "Succeeded");

        GenericKubernetesResource vm = p.kube().genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(p.ns())
                .withName(target).get();
        List<GenericKubernetesResource> owned = new java.util.ArrayList<>(List.of(vm));
        owned.addAll(p.madeByClones(KubeResources.DATA_VOLUME).stream()
                .filter(dv -> vm.getMetadata().getLabels().get(CloneLabels.CLONE_UID)
                        .equals(dv.getMetadata().getLabels().get(CloneLabels.CLONE_UID))).toList());
        assertThat(owned).hasSizeGreaterThan(1).allSatisfy(o -> {
            assertThat(o.getMetadata().getLabels().values()).allSatisfy(v -> assertThat(v.length()).isLessThanOrEqualTo(63));
            assertThat(o.getMetadata().getLabels().get(CloneLabels.CLONE_NAME)).isEqualTo(CloneLabels.nameLabelValue(name));
            assertThat(o.getMetadata().getAnnotations().get(CloneLabels.CREATED_BY)).isEqualTo(p.ns() + "/" + name);
        });
    }

    @Test
    void transitionEventsAreAcceptedAndListedByKubectlDescribe() {
        p.createClone("described", CloneSpec.of("fedora", "described-vm"));
        p.awaitPhase("described", "Succeeded");
        String described = await().atMost(RealPipeline.BOUND).until(
                () -> cluster.kubectl("describe", "virtualmachineclones." + cluster.cloneGroup(), "described", "-n", p.ns()),
                text -> text.contains("Succeeded") && text.contains("vmclone-status-reporter"));
        assertThat(described).contains("Events:").contains("Normal");
    }

    @Test
    void waitForFirstConsumerStorageIsCopiedBecauseThePlanAsksForImmediateBinding() {
        cluster.apply("/samples/local-wffc.yaml", p.ns());
        // what the simulated CDI does on that storage class without the annotation: waits, copies nothing
        GenericKubernetesResource plain = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("cdi.kubevirt.io/v1beta1").withKind("DataVolume")
                .withNewMetadata().withName("plain-wffc").withNamespace(p.ns()).endMetadata()
                .addToAdditionalProperties("spec", Map.of("source", Map.of("blank", Map.of()),
                        "storage", Map.of("storageClassName", "local-wffc", "resources", Map.of("requests", Map.of("storage", "1Gi")))))
                .build();
        p.kube().resource(plain).create();
        await().atMost(RealPipeline.BOUND).until(() -> phaseOf(p.kube().resource(plain).get()),
                StorageSimulator.PENDING_POPULATION::equals);

        p.createClone("wffc", CloneSpec.of("local", "wffc-vm"));
        p.awaitPhase("wffc", "Succeeded");
        assertThat(p.madeByClones(KubeResources.DATA_VOLUME)).singleElement().satisfies(d -> {
            assertThat(d.getMetadata().getAnnotations()).containsEntry(CdiAnnotations.BIND_IMMEDIATE, "true");
            assertThat(phaseOf(d)).isEqualTo("Succeeded");
        });
    }

    private static String phaseOf(GenericKubernetesResource r) {
        Object status = r == null ? null : r.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> m ? (String) m.get("phase") : null;
    }

    @Test
    void theServerRefusesStrategicMergePatchesOnCustomResources() {
        p.createClone("patched", CloneSpec.of("fedora", "patched-vm"));
        var op = p.kube().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(p.ns()).withName("patched");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> op.patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE), "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
    }
}
