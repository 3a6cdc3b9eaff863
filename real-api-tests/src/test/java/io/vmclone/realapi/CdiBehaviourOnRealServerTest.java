package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.vmclone.executor.ExecutorSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.CdiEvents;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CDI as it behaves, on the real API server with each service's ServiceAccount: a source in use holds the clone
 * and its status says by which pod (the executor's Event and claim informers under the shipped RBAC, the status
 * fields kept by the CRD's schema), the strategy and fallback CDI chose are in the status and on the event log,
 * and a claim CDI never binds fails the clone with the CSI driver's words.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class CdiBehaviourOnRealServerTest {
    private static final Duration COPY = Duration.ofSeconds(1);
    private RealPipeline p;

    @AfterEach
    void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void aCloneWhoseSourceAPodHoldsSaysSoInItsStatusAndGoesOnWhenThePodIsGone(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.prepare(cluster, broker, "inuse", COPY);
        // No controller-manager makes the namespace's default ServiceAccount, which a pod needs.
        p.kube().serviceAccounts().inNamespace(p.ns()).resource(new ServiceAccountBuilder().withNewMetadata().withName("default")
                .endMetadata().build()).create();
        Pod backup = p.kube().pods().inNamespace(p.ns()).resource(new PodBuilder().withNewMetadata().withName("backup").endMetadata()
                .withNewSpec().addNewContainer().withName("backup").withImage("registry.example/backup:1").endContainer()
                .addNewVolume().withName("disk").withNewPersistentVolumeClaim().withClaimName("fedora-root").endPersistentVolumeClaim()
                .endVolume().endSpec().build()).create();
        backup.setStatus(new PodStatusBuilder().withPhase("Running").build());
        p.kube().pods().inNamespace(p.ns()).resource(backup).updateStatus();
        p.startServices();

        p.createClone("held", CloneSpec.of("fedora", "held-vm"));

        String inUse = "pod " + p.ns() + "/backup using PersistentVolumeClaim fedora-root";
        CloneStatus waiting = await().atMost(RealPipeline.BOUND).until(() -> p.status("held"), s -> s != null
                && s.condition(CloneStatus.PROGRESSING) != null
                && CdiEvents.CLONE_SOURCE_IN_USE.equals(s.condition(CloneStatus.PROGRESSING).reason()));
        assertThat(waiting.condition(CloneStatus.PROGRESSING).status()).isEqualTo("True");
        String dataVolume = waiting.volumes().get(0).dataVolume(); // named by the planner (RandomizeNames)
        assertThat(waiting.condition(CloneStatus.PROGRESSING).message())
                .isEqualTo("CDI waits to clone volume rootdisk (DataVolume " + dataVolume + "): " + inUse);
        assertThat(waiting.volumes()).singleElement().satisfies(v -> {
            assertThat(v.phase()).isEqualTo("CloneScheduled");
            assertThat(v.reason()).isEqualTo(CdiEvents.CLONE_SOURCE_IN_USE);
            assertThat(v.message()).isEqualTo(inUse);
        });
        Event warning = await().atMost(RealPipeline.BOUND).until(() -> p.kube().v1().events().inNamespace(p.ns()).list().getItems()
                .stream().filter(e -> "held".equals(e.getInvolvedObject().getName())
                        && CdiEvents.CLONE_SOURCE_IN_USE.equals(e.getReason())).findFirst().orElse(null), e -> e != null);
        assertThat(warning.getType()).isEqualTo("Warning");

        p.kube().pods().inNamespace(p.ns()).withName("backup").delete();

        CloneStatus done = p.awaitPhase("held", "Succeeded");
        assertThat(done.volumes()).singleElement().satisfies(v -> {
            assertThat(v.reason()).isNull();
            assertThat(v.strategy()).isEqualTo(CdiAnnotations.STRATEGY_SNAPSHOT);
        });
        assertThat(done.progress()).isEqualTo("100.0%");
    }

    @Test
    void theStrategyAndTheFallbackCdiChoseAreInTheStatusAndOnTheEventLog(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.prepare(cluster, broker, "strategy", COPY);
        cluster.apply("/samples/no-snapshots.yaml", p.ns());
        p.startServices();
        String reason = "No compatible volumesnapshotclass found";

        p.createClone("smart", CloneSpec.of("fedora", "smart-vm"));
        p.createClone("fellback", CloneSpec.of("legacy", "legacy-vm"));

        CloneStatus smart = p.awaitPhase("smart", "Succeeded");
        assertThat(smart.volumes()).singleElement().satisfies(v -> {
            assertThat(v.strategy()).isEqualTo(CdiAnnotations.STRATEGY_SNAPSHOT);
            assertThat(v.fallbackReason()).isNull();
        });
        CloneStatus fellBack = p.awaitPhase("fellback", "Succeeded");
        assertThat(fellBack.volumes()).singleElement().satisfies(v -> {
            assertThat(v.strategy()).isEqualTo(CdiAnnotations.STRATEGY_COPY);
            assertThat(v.fallbackReason()).isEqualTo(reason);
        });

        List<Progressed> smartLog = progressed(p.events("smart"));
        assertThat(smartLog).extracting(Progressed::progress).as("no percentage for a smart clone").containsOnly("N/A");
        assertThat(smartLog).flatExtracting(Progressed::volumes).extracting(VolumeProgress::strategy).contains("snapshot");
        List<Progressed> copyLog = progressed(p.events("fellback"));
        assertThat(copyLog).flatExtracting(Progressed::volumes).anySatisfy(v -> {
            assertThat(v.strategy()).isEqualTo(CdiAnnotations.STRATEGY_COPY);
            assertThat(v.fallbackReason()).isEqualTo(reason);
        });
        assertThat(copyLog).extracting(Progressed::progress).as("a host-assisted copy has percentages").anyMatch(s -> s.endsWith("%"));
    }

    @Test
    void aClaimCdiNeverBindsFailsTheCloneWithTheDriversRefusalAfterTheStallTimeout(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.prepare(cluster, broker, "refused", COPY);
        cluster.apply("/samples/refuses-clones.yaml", p.ns());
        p.env().put(ExecutorSettings.ENV_STALL_TIMEOUT, "3");
        p.startServices();

        p.createClone("refused", CloneSpec.of("px", "px-vm"));

        CloneStatus failed = p.awaitPhase("refused", "Failed");
        CloneStatus.Condition ready = failed.condition(CloneStatus.READY);
        assertThat(ready.reason()).isEqualTo(Reasons.STALLED);
        String dataVolume = failed.volumes().get(0).dataVolume();
        assertThat(ready.message()).contains("DataVolume " + dataVolume + " (volume rootdisk, csi-clone) is CSICloneInProgress at N/A")
                .contains("CDI never bound its claim: target PVC " + dataVolume + " Pending and [tmp-pvc-")
                .contains("failed to provision volume with StorageClass \"refuses-clones\"")
                .contains("replication factor of source and target differ");
        assertThat(p.history("refused")).endsWith(EventType.FAILED);
    }

    private static List<Progressed> progressed(List<CloneEvent> events) {
        return events.stream().filter(e -> e.type() == EventType.PROGRESSED).map(e -> e.data(Progressed.class))
                .filter(pr -> Progressed.CLONING_VOLUMES.equals(pr.phase())).toList();
    }
}
