package io.vmclone.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory API behaves like a real API server where our code depends on it. */
class MockClusterTest {
    private MockCluster cluster;
    private KubernetesClient kube;

    @BeforeEach
    void start() {
        cluster = MockCluster.start();
        kube = cluster.client();
        cluster.createNamespace("x");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private GenericKubernetesResource createClone(String name) {
        return kube.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), "x", name, CloneSpec.of("src", name + "-copy"),
                Map.of())).create();
    }

    @Test
    void aStatusWriteWithAStaleResourceVersionIsRefusedWith409() {
        var clones = kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace("x");
        GenericKubernetesResource stale = createClone("a");
        GenericKubernetesResource fresh = clones.withName("a").get();
        fresh.getAdditionalProperties().put("status", Map.of("phase", "Succeeded"));
        clones.resource(fresh).updateStatus();

        stale.getAdditionalProperties().put("status", Map.of("phase", "Pending"));
        assertThatThrownBy(() -> clones.resource(stale).updateStatus()).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(VirtualMachineClones.status(clones.withName("a").get()).phase()).isEqualTo("Succeeded");

        GenericKubernetesResource current = clones.withName("a").get();
        current.getAdditionalProperties().put("status", Map.of("phase", "Failed"));
        clones.resource(current).updateStatus();
        assertThat(VirtualMachineClones.status(clones.withName("a").get()).phase()).as("a current write goes through").isEqualTo("Failed");
    }

    @Test
    void aLateAnswerComesAfterTheWriteTookEffect() {
        cluster.slowDown("POST", "/apis/" + cluster.cloneGroup(), Duration.ofSeconds(3), 1);
        KubernetesClient impatient = cluster.server().createClient(b -> b.editOrNewConfig().withRequestTimeout(500)
                .withRequestRetryBackoffLimit(0).endConfig());
        try {
            assertThatThrownBy(() -> impatient.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), "x", "late",
                    CloneSpec.of("src", "late-copy"), Map.of())).create()).isInstanceOf(KubernetesClientException.class);
            assertThat(kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace("x").withName("late").get())
                    .as("stored although the client gave up waiting").isNotNull();
            assertThat(cluster.slowedDown()).isEqualTo(1);
        } finally {
            impatient.close();
        }
    }

    @Test
    void anEventFieldSelectorTheCrudMockCannotApplyIsDroppedSoTheClientSeesEveryEventAndFilters() {
        kube.v1().events().inNamespace("x").resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName("e1")
                .endMetadata().withReason("CloneSourceInUse").withNewInvolvedObject().withKind("DataVolume").withNamespace("x")
                .withName("dv").endInvolvedObject().build()).create();
        assertThat(kube.v1().events().inNamespace("x").withField("reason", "CloneSourceInUse").list().getItems()).hasSize(1);
    }
}
