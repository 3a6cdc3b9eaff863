package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.VolumeStorage;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code spec.volumeStorage} through the whole pipeline on the real API server (the CRD accepts it, the planner
 * plans it, the DataVolume asks for it) with the simulated CDI falling back as CDI does when source and target
 * differ: the clone's status names the strategy CDI used and why it fell back.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class TargetStorageOnRealServerTest {
    private RealPipeline p;

    @AfterEach
    void stop() {
        p.close();
    }

    @Test
    void aCopyIntoAnotherDriversClassOrVolumeModeIsAHostAssistedCopyAndSaysWhy(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.prepare(cluster, broker, "storage", Duration.ofSeconds(2)).startServices();
        p.createClone("to-hdd", spec("to-hdd-vm", new VolumeStorage("*", "hdd", null, null)));
        p.createClone("to-block", spec("to-block-vm", new VolumeStorage("rootdisk", null, List.of("ReadWriteOnce"), "Block")));
        p.createClone("same", CloneSpec.of("fedora", "same-vm"));

        CloneStatus hdd = p.awaitPhase("to-hdd", "Succeeded");
        assertThat(hdd.volumes()).singleElement().satisfies(v -> {
            assertThat(v.strategy()).isEqualTo("copy");
            assertThat(v.fallbackReason()).isEqualTo("IncompatibleProvisioners");
        });
        assertThat(storage("to-hdd")).containsEntry("storageClassName", "hdd");

        CloneStatus block = p.awaitPhase("to-block", "Succeeded");
        assertThat(block.volumes()).singleElement().satisfies(v -> assertThat(v.fallbackReason()).isEqualTo("IncompatibleVolumeModes"));
        assertThat(storage("to-block")).containsEntry("volumeMode", "Block").containsEntry("accessModes", List.of("ReadWriteOnce"))
                .containsEntry("storageClassName", "standard");

        CloneStatus same = p.awaitPhase("same", "Succeeded");
        assertThat(same.volumes()).singleElement().satisfies(v -> {
            assertThat(v.strategy()).as("nothing asked: CDI's smart clone").isEqualTo("snapshot");
            assertThat(v.fallbackReason()).isNull();
        });
    }

    @Test
    void aTargetAskedToStartGetsItsRunStrategyOnlyOnceCopied(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.prepare(cluster, broker, "start", Duration.ofSeconds(2)).startServices();
        p.createClone("started", CloneSpec.of("fedora", "started-vm").toBuilder().targetRunStrategy("Always").build());

        p.awaitPhase("started", "CloningVolumes");
        assertThat(vmSpec("started-vm")).as("halted while its disk copies").containsEntry("runStrategy", "Halted");
        p.awaitPhase("started", "Succeeded");
        GenericKubernetesResource vm = vm("started-vm");
        assertThat(vmSpec("started-vm")).containsEntry("runStrategy", "Always");
        assertThat(vm.getMetadata().getAnnotations()).doesNotContainKey(CloneLabels.RUN_STRATEGY_AFTER_CLONE);
    }

    private GenericKubernetesResource vm(String name) {
        return p.madeByClones(KubeResources.VIRTUAL_MACHINE).stream().filter(v -> name.equals(v.getMetadata().getName()))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> vmSpec(String name) {
        return (Map<String, Object>) vm(name).getAdditionalProperties().get("spec");
    }

    private static CloneSpec spec(String target, VolumeStorage storage) {
        return CloneSpec.of("fedora", target).toBuilder().volumeStorage(List.of(storage)).build();
    }

    /** {@code spec.storage} of the DataVolume clone {@code name} made. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> storage(String clone) {
        GenericKubernetesResource dv = p.madeByClones(KubeResources.DATA_VOLUME).stream()
                .filter(d -> clone.equals(d.getMetadata().getLabels().get(CloneLabels.CLONE_NAME))).findFirst().orElseThrow();
        return (Map<String, Object>) ((Map<String, Object>) dv.getAdditionalProperties().get("spec")).get("storage");
    }
}
