package io.vmclone.executor;

import static io.vmclone.executor.ExecutorHarness.NS;
import static io.vmclone.executor.ExecutorHarness.newClone;
import static io.vmclone.executor.ExecutorHarness.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the executor does when the cluster says no, fails a copy, or stops moving. */
@ExtendWith(KafkaBrokerExtension.class)
class ExecutorFailureTest {
    private static final String VMS = "/apis/kubevirt.io/v1/namespaces/" + NS + "/virtualmachines";
    private static final String DVS = "/apis/cdi.kubevirt.io/v1beta1/namespaces/" + NS + "/datavolumes";

    private ExecutorHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aStrangersVmWithTheTargetNameFailsTheCloneAndIsLeftUntouched(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        GenericKubernetesResource stranger = new GenericKubernetesResource();
        stranger.setApiVersion("kubevirt.io/v1");
        stranger.setKind("VirtualMachine");
        stranger.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("web-copy").withNamespace(NS)
                .withLabels(Map.of("owner", "someone-else")).build());
        stranger.setAdditionalProperty("spec", Map.of("runStrategy", "Always"));
        stranger = h.kube.resource(stranger).create();
        h.startExecutor();
        CloneRef clone = newClone("web-clone");

        h.publishPlan(plan(clone, "web-copy", "root", "data"));

        Failed failed = h.awaitEvent(clone, EventType.FAILED, Failed.class);
        assertThat(failed.reason()).isEqualTo(Reasons.TARGET_EXISTS);
        assertThat(failed.message()).contains("VirtualMachine " + NS + "/web-copy").contains("not created by this clone");
        assertThat(failed.stage()).isEqualTo(ExecutorHandler.STAGE);
        GenericKubernetesResource after = h.vm("web-copy");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(stranger.getMetadata().getResourceVersion());
        assertThat(after.getMetadata().getLabels()).isEqualTo(Map.of("owner", "someone-else"));
        assertThat(h.dataVolumes()).isEmpty();
        assertThat(h.calls.writes()).isEmpty();
        assertThat(h.events(clone, EventType.PROGRESSED)).isEmpty();
    }

    /**
     * Provenance before obedience: a planned event that breaks the planner's invariants (a disk copied from
     * another namespace, a target that would boot) creates nothing and fails its clone naming each broken one;
     * an honest plan after it goes on.
     */
    @Test
    void aPlanBreakingThePlannersInvariantsCreatesNothingAndFailsTheClone(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.startExecutor();
        CloneRef forged = newClone("forged-clone");
        Planned plan = plan(forged, "forged-copy", "root");
        plan.dataVolumes().get(0).with("spec").with("source").with("pvc").put("namespace", "kube-system");
        plan.virtualMachine().with("spec").put("runStrategy", "Always");
        h.publishPlan(plan);
        CloneRef honest = newClone("honest-clone");
        h.publishPlan(plan(honest, "honest-copy", "root"));

        Failed failed = h.awaitEvent(forged, EventType.FAILED, Failed.class);
        assertThat(failed.reason()).isEqualTo(Reasons.INVALID_PLAN);
        assertThat(failed.message()).contains("nothing was created").contains("dataVolumes[0].spec.source.pvc.namespace")
                .contains("virtualMachine.spec.runStrategy");
        h.awaitEvent(honest, EventType.PROGRESSED, Progressed.class);
        assertThat(h.vm("forged-copy")).isNull();
        assertThat(h.dataVolume("forged-copy-root")).isNull();
        assertThat(h.vm("honest-copy")).isNotNull();
    }

    /** Only the bridge emits cancel-requested: a forged one (here "from the planner") deletes nothing. */
    @Test
    void aForgedCancelDeletesNothing(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.startExecutor();
        CloneRef clone = newClone("kept-clone");
        h.publishPlan(plan(clone, "kept-copy", "root"));
        h.awaitEvent(clone, EventType.PROGRESSED, Progressed.class);

        h.publish(io.vmclone.schemas.CloneEvent.of("planner", EventType.CANCEL_REQUESTED,
                new io.vmclone.schemas.events.CancelRequested(clone), java.time.OffsetDateTime.now(), null));
        CloneRef marker = newClone("marker-clone");
        h.publishPlan(plan(marker, "marker-copy", "root")); // one partition: handled after the forged cancel
        h.awaitEvent(marker, EventType.PROGRESSED, Progressed.class);

        assertThat(h.events(clone, EventType.CANCELLED)).isEmpty();
        assertThat(h.vm("kept-copy")).isNotNull();
        assertThat(h.dataVolume("kept-copy-root")).isNotNull();
    }

    @Test
    void aDataVolumeGoingFailedFailsTheCloneWithCdisMessage(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.startExecutor();
        CloneRef clone = newClone("api-clone");
        h.publishPlan(plan(clone, "api-copy", "root", "data"));
        h.awaitEvent(clone, EventType.PROGRESSED, Progressed.class);
        h.cdi("api-copy-root", "CSICloneInProgress", "35.00%");

        h.cdi("api-copy-data", "Failed", "N/A", "The source pvc source-data doesn't exist");

        Failed failed = h.awaitEvent(clone, EventType.FAILED, Failed.class);
        assertThat(failed.reason()).isEqualTo(Reasons.VOLUME_CLONE_FAILED);
        assertThat(failed.message()).contains("api-copy-data").contains("volume data")
                .contains("The source pvc source-data doesn't exist");
        assertThat(failed.targetName()).isEqualTo("api-copy");
        // Finished now: a late success of the other volume changes nothing.
        h.cdi("api-copy-root", "Succeeded", "100.0%");
        CloneRef marker = newClone("marker");
        h.publishPlan(plan(marker, "marker-copy"));
        h.awaitEvent(marker, EventType.SUCCEEDED, Succeeded.class);
        assertThat(h.events(clone, EventType.SUCCEEDED)).isEmpty();
        assertThat(h.events(clone, EventType.FAILED)).hasSize(1);
    }

    @Test
    void noProgressForTheStallTimeoutFailsAsStalledWithTheLastConditionMessage(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of(ExecutorSettings.ENV_STALL_TIMEOUT, "2"));
        h.startExecutor();
        CloneRef clone = newClone("slow-clone");
        h.publishPlan(plan(clone, "slow-copy", "root"));
        h.awaitEvent(clone, EventType.PROGRESSED, Progressed.class);

        h.cdi("slow-copy-root", "CloneScheduled", "N/A", "source PVC source-root is in use by pod virt-launcher-web-x2x");

        Failed failed = h.awaitEvent(clone, EventType.FAILED, Failed.class);
        assertThat(failed.reason()).isEqualTo(Reasons.STALLED);
        assertThat(failed.message()).contains("slow-copy-root").contains("CloneScheduled")
                .contains("source PVC source-root is in use by pod virt-launcher-web-x2x");
    }

    @Test
    void injectedServerErrorsAndConflictsAreRetriedToExactlyOneObjectEach(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.cluster.server().expect().post().withPath(VMS).andReturn(500, status(500, "etcdserver: request timed out")).times(2);
        h.cluster.server().expect().post().withPath(DVS).andReturn(409, status(409, "Operation cannot be fulfilled: the object has been modified")).times(2);
        h.cluster.server().expect().post().withPath(DVS).andReturn(429, status(429, "too many requests")).once();
        h.startExecutor();
        CloneRef clone = newClone("flaky-clone");
        Planned plan = plan(clone, "flaky-copy", "root", "data", "logs");

        h.publishPlan(plan);
        h.copyAll(plan);

        h.awaitEvent(clone, EventType.SUCCEEDED, Succeeded.class);
        assertThat(h.events(clone, EventType.FAILED)).isEmpty();
        assertThat(h.vms()).hasSize(1);
        assertThat(h.dataVolumes()).hasSize(3);
        // 2 refused VM creates + 1 accepted; 3 refused DataVolume creates + 3 accepted; nothing else written.
        assertThat(h.calls.writes()).filteredOn(c -> c.creates("virtualmachines")).extracting(ApiCallLog.Call::code)
                .containsExactly(500, 500, 201);
        assertThat(h.calls.writes()).filteredOn(c -> c.creates("datavolumes")).extracting(ApiCallLog.Call::code)
                .containsExactly(409, 409, 429, 201, 201, 201);
        assertThat(h.calls.acceptedWrites()).hasSize(4);
        assertThat(h.calls.writes()).hasSize(9);
    }

    @Test
    void createsStoredButAnsweredAfterTheClientGaveUpAreAdoptedNotRepeated(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        // The API server stores each create at once but answers 3 s later; the executor's client waits 1 s.
        h.cluster.slowDown("POST", VMS, Duration.ofSeconds(3), 1);
        h.cluster.slowDown("POST", DVS, Duration.ofSeconds(3), 1);
        h.startExecutor(Duration.ofSeconds(1));
        CloneRef clone = newClone("late-clone");
        Planned plan = plan(clone, "late-copy", "root", "data");

        h.publishPlan(plan);
        h.copyAll(plan);

        h.awaitEvent(clone, EventType.SUCCEEDED, Succeeded.class);
        assertThat(h.cluster.slowedDown()).as("both late answers were sent").isEqualTo(2);
        assertThat(h.events(clone, EventType.FAILED)).isEmpty();
        assertThat(h.vms()).hasSize(1);
        assertThat(h.dataVolumes()).hasSize(2);
        // The timed-out create was not repeated into a second object: the retry found this clone's VM.
        assertThat(h.calls.writes()).filteredOn(c -> c.creates("virtualmachines")).extracting(ApiCallLog.Call::code)
                .doesNotContain(201);
    }

    @Test
    void anInvalidObjectFailsWithTheApiServersMessageAndLeavesNoHalfClone(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.cluster.server().expect().post().withPath(DVS)
                .andReturn(422, status(422, "DataVolume.cdi.kubevirt.io \"bad-copy-data\" is invalid: spec.storage: Required value"))
                .once();
        h.startExecutor();
        CloneRef clone = newClone("bad-clone");

        h.publishPlan(plan(clone, "bad-copy", "data"));

        Failed failed = h.awaitEvent(clone, EventType.FAILED, Failed.class);
        assertThat(failed.reason()).isEqualTo(Reasons.APPLY_FAILED);
        assertThat(failed.message()).contains("bad-copy-data").contains("spec.storage: Required value");
        assertThat(h.vms()).as("the VM created before the refusal is removed").isEmpty();
        assertThat(h.dataVolumes()).isEmpty();
    }

    private static io.fabric8.kubernetes.api.model.Status status(int code, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withMessage(message)
                .withReason(code == 409 ? "Conflict" : code == 422 ? "Invalid" : "InternalError").build();
    }
}
