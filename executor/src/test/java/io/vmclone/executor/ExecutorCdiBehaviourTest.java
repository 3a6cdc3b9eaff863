package io.vmclone.executor;

import static io.vmclone.executor.ExecutorHarness.BOUND;
import static io.vmclone.executor.ExecutorHarness.NS;
import static io.vmclone.executor.ExecutorHarness.newClone;
import static io.vmclone.executor.ExecutorHarness.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.CdiEvents;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.SimulatedCloneMode;
import io.vmclone.testsupport.StorageSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executor against CDI as it behaves (the storage simulator, or CDI played by hand): a source in use, the
 * strategy and its fallback, N/A progress, a claim CDI never binds. The executor learns all of it from informers.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExecutorCdiBehaviourTest {
    private ExecutorHarness h;
    private StorageSimulator storage;

    @AfterEach
    void stop() {
        if (storage != null) {
            storage.close();
        }
        if (h != null) {
            h.close();
        }
    }

    private void startWithSimulatedCdi(KafkaBroker broker, Map<String, String> env) {
        h = new ExecutorHarness(broker, env);
        storage = new StorageSimulator(h.kube, Duration.ofMillis(600), 3).start();
        h.startExecutor();
    }

    private List<Progressed> progress(CloneRef clone) {
        return h.events(clone, EventType.PROGRESSED).stream().map(e -> e.data(Progressed.class)).toList();
    }

    /** The plan's DataVolumes annotated as a test picks the simulated CDI's behaviour. */
    private static Planned annotated(Planned plan, String key, String value) {
        plan.dataVolumes().forEach(dv -> ((ObjectNode) dv.path("metadata")).putObject("annotations").put(key, value));
        return plan;
    }

    private Pod podUsing(String name, String claim) {
        return h.kube.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
                .addNewVolume().withName("disk").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim().endVolume()
                .endSpec().withNewStatus().withPhase("Running").endStatus().build()).create();
    }

    @Test
    void aCloneWaitingForItsSourceSaysWhichPodHoldsItAndGoesOnWhenThePodIsGone(KafkaBroker broker) throws Exception {
        startWithSimulatedCdi(broker, Map.of());
        podUsing("backup", "source-root");
        CloneRef clone = newClone("busy-clone");

        h.publishPlan(plan(clone, "busy-copy", "root"));

        Progressed waiting = await().atMost(BOUND).until(() -> progress(clone).stream()
                .filter(p -> p.volumes().get(0).reason() != null).findFirst().orElse(null), p -> p != null);
        VolumeProgress root = waiting.volumes().get(0);
        assertThat(root.phase()).isEqualTo("CloneScheduled");
        assertThat(root.reason()).isEqualTo(CdiEvents.CLONE_SOURCE_IN_USE);
        assertThat(root.message()).isEqualTo("pod apps/backup using PersistentVolumeClaim source-root");
        assertThat(h.events(clone, EventType.SUCCEEDED)).as("CDI does not clone a source in use").isEmpty();

        h.kube.pods().inNamespace(NS).withName("backup").delete();

        Succeeded done = h.awaitEvent(clone, EventType.SUCCEEDED, Succeeded.class);
        assertThat(done.volumes().get(0).reason()).as("the wait is over").isNull();
        // Learnt from informers only: no GET of one claim or Event by name, per clone or per look.
        assertThat(h.calls.calls()).noneMatch(c -> c.method().equals("GET")
                && c.path().matches(".*/(persistentvolumeclaims|events)/[^/]+$"));
    }

    @Test
    void theStrategyAndTheFallbackReasonAreReportedPerVolumeWithHostAssistedPercentages(KafkaBroker broker) throws Exception {
        startWithSimulatedCdi(broker, Map.of());
        CloneRef smart = newClone("smart-clone");
        CloneRef fellBack = newClone("copy-clone");
        String reason = "No compatible volumesnapshotclass found";

        h.publishPlan(plan(smart, "smart-copy", "root"));
        h.publishPlan(annotated(plan(fellBack, "copy-copy", "root"), SimulatedCloneMode.FALLBACK_REASON, reason));

        Succeeded smartDone = h.awaitEvent(smart, EventType.SUCCEEDED, Succeeded.class);
        assertThat(smartDone.volumes().get(0).strategy()).isEqualTo(CdiAnnotations.STRATEGY_SNAPSHOT);
        assertThat(smartDone.volumes().get(0).fallbackReason()).isNull();
        assertThat(progress(smart)).as("a smart clone has no percentage until done, and none is made up")
                .extracting(Progressed::progress).containsOnly("N/A");
        assertThat(progress(smart)).flatExtracting(Progressed::volumes).extracting(VolumeProgress::phase)
                .contains("SnapshotForSmartCloneInProgress", "CloneFromSnapshotSourceInProgress");

        Succeeded copyDone = h.awaitEvent(fellBack, EventType.SUCCEEDED, Succeeded.class);
        assertThat(copyDone.volumes().get(0).strategy()).isEqualTo(CdiAnnotations.STRATEGY_COPY);
        assertThat(copyDone.volumes().get(0).fallbackReason()).isEqualTo(reason);
        assertThat(progress(fellBack)).extracting(Progressed::progress).contains("25.00%", "50.00%", "75.00%");
        assertThat(progress(fellBack)).flatExtracting(Progressed::volumes)
                .anySatisfy(v -> assertThat(v.fallbackReason()).isEqualTo(reason));
    }

    @Test
    void aClaimCdiNeverBindsFailsAfterTheStallTimeoutWithTheDriversRefusal(KafkaBroker broker) throws Exception {
        startWithSimulatedCdi(broker, Map.of(ExecutorSettings.ENV_STALL_TIMEOUT, "2"));
        CloneRef clone = newClone("refused-clone");
        String refusal = "rpc error: code = Internal desc = replication factor of source and target differ";

        h.publishPlan(annotated(plan(clone, "refused-copy", "root"), SimulatedCloneMode.CSI_CLONE_ERROR, refusal));

        Failed failed = h.awaitEvent(clone, EventType.FAILED, Failed.class);
        assertThat(failed.reason()).isEqualTo(Reasons.STALLED);
        assertThat(failed.message()).contains("DataVolume refused-copy-root (volume root, csi-clone) is CSICloneInProgress at N/A")
                .contains("CDI never bound its claim").contains(refusal);
    }

    @Test
    void conditionMessagesCdiKeepsRewritingAreNoProgressAndTheCloneStillStalls(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of(ExecutorSettings.ENV_STALL_TIMEOUT, "2"));
        h.startExecutor();
        CloneRef clone = newClone("churn-clone");
        h.publishPlan(plan(clone, "churn-copy", "root"));
        h.awaitEvent(clone, EventType.PROGRESSED, Progressed.class);

        // CDI copies the claim's latest event into the Bound condition: "provisioning" and "failed" take turns.
        String[] latest = {"[tmp-pvc-1] : External provisioner is provisioning volume for claim",
                "[tmp-pvc-1] : failed to provision volume with StorageClass \"px\": rpc error: code = Internal desc = refused"};
        int[] turn = {0};
        await().atMost(BOUND).pollInterval(Duration.ofMillis(250)).until(() -> {
            writeBound(h, "churn-copy-root", "target PVC churn-copy-root Pending and " + latest[turn[0]++ % 2]);
            return !h.events(clone, EventType.FAILED).isEmpty();
        });

        Failed failed = h.events(clone, EventType.FAILED).get(0).data(Failed.class);
        assertThat(failed.reason()).isEqualTo(Reasons.STALLED);
        assertThat(failed.message()).contains("CDI never bound its claim: target PVC churn-copy-root Pending and [tmp-pvc-1]");
    }

    @Test
    void anOlderCdiSaysTheSourceIsInUseOnlyInAnEventOnTheDataVolumeAndThatIsEnough(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.startExecutor();
        CloneRef clone = newClone("legacy-clone");
        h.publishPlan(plan(clone, "legacy-copy", "root"));
        h.awaitEvent(clone, EventType.PROGRESSED, Progressed.class);
        h.cdi("legacy-copy-root", "CloneScheduled", "N/A", "PVC legacy-copy-root Pending"); // no pod in any condition
        GenericKubernetesResource dv = h.dataVolume("legacy-copy-root");

        // CDI's legacy flow records the Warning on the DataVolume itself; an unrelated Event must not count.
        h.kube.v1().events().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName("legacy-copy-root.1").endMetadata()
                .withNewInvolvedObject().withKind("DataVolume").withApiVersion("cdi.kubevirt.io/v1beta1").withNamespace(NS)
                .withName("legacy-copy-root").withUid(dv.getMetadata().getUid()).endInvolvedObject()
                .withType("Warning").withReason(CdiEvents.CLONE_SOURCE_IN_USE)
                .withMessage("pod apps/virt-launcher-web-x2x9z using PersistentVolumeClaim source-root")
                .withLastTimestamp("2026-12-01T10:00:00Z").build()).create();

        Progressed waiting = await().atMost(BOUND).until(() -> progress(clone).stream()
                .filter(p -> p.volumes().get(0).reason() != null).findFirst().orElse(null), p -> p != null);
        assertThat(waiting.volumes().get(0).message()).isEqualTo("pod apps/virt-launcher-web-x2x9z using PersistentVolumeClaim source-root");
    }

    /** Plays CDI: a CSI clone in progress whose claim is Pending, with {@code message} on the Bound condition. */
    private static void writeBound(ExecutorHarness h, String name, String message) {
        GenericKubernetesResource dv = h.kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(NS).withName(name).get();
        dv.setAdditionalProperty("status", Map.of("phase", "CSICloneInProgress", "progress", "N/A", "conditions", List.of(
                Map.of("type", "Bound", "status", "False", "reason", "Pending", "message", message),
                Map.of("type", "Running", "status", "True", "reason", "Populator is running", "message", ""))));
        h.kube.resource(dv).updateStatus();
    }
}
