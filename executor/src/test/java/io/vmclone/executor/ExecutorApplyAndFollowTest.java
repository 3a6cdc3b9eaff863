package io.vmclone.executor;

import static io.vmclone.executor.ExecutorHarness.BOUND;
import static io.vmclone.executor.ExecutorHarness.NS;
import static io.vmclone.executor.ExecutorHarness.newClone;
import static io.vmclone.executor.ExecutorHarness.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The executor applies a plan and follows the copy, through the real stage runtime and broker. */
@ExtendWith(KafkaBrokerExtension.class)
class ExecutorApplyAndFollowTest {
    private ExecutorHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void threeVolumesAreCreatedOnceFollowedToHundredPercentAndSucceed(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.startExecutor();
        CloneRef clone = newClone("web-clone");
        Planned plan = plan(clone, "web-copy", "root", "data", "logs");

        h.publishPlan(plan);

        GenericKubernetesResource vm = await().atMost(BOUND).until(() -> h.vm("web-copy"), v -> v != null);
        assertThat(vm.getMetadata().getLabels()).containsEntry(CloneLabels.CLONE_UID, clone.uid())
                .containsEntry(CloneLabels.CLONE_NAME, "web-clone").containsEntry("app", "web");
        assertThat(vm.getMetadata().getAnnotations()).containsEntry(CloneLabels.CREATED_BY, NS + "/web-clone");
        assertThat(((Map<?, ?>) vm.getAdditionalProperties().get("spec")).get("runStrategy")).isEqualTo("Halted");
        List<String> dvNames = List.of("web-copy-root", "web-copy-data", "web-copy-logs");
        await().atMost(BOUND).until(() -> dvNames.stream().allMatch(n -> h.dataVolume(n) != null));
        for (String name : dvNames) {
            GenericKubernetesResource dv = h.dataVolume(name);
            assertThat(dv.getMetadata().getLabels()).containsEntry(CloneLabels.CLONE_UID, clone.uid());
            assertThat(dv.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getKind()).isEqualTo("VirtualMachine");
                assertThat(owner.getName()).isEqualTo("web-copy");
                assertThat(owner.getUid()).isEqualTo(vm.getMetadata().getUid());
            });
        }
        assertThat(h.dataVolume("web-copy-data").getMetadata().getAnnotations()).containsEntry(CloneLabels.VOLUME, "data");

        // Not done before CDI says so.
        h.awaitEvent(clone, EventType.PROGRESSED, Progressed.class);
        int cdiWrites = h.copyAll(plan, 2);

        Succeeded succeeded = h.awaitEvent(clone, EventType.SUCCEEDED, Succeeded.class);
        assertThat(succeeded.targetName()).isEqualTo("web-copy");
        assertThat(succeeded.volumes()).extracting(VolumeProgress::volume).containsExactly("root", "data", "logs");
        assertThat(succeeded.volumes()).allSatisfy(v -> {
            assertThat(v.phase()).isEqualTo("Succeeded");
            assertThat(v.progress()).isEqualTo("100.0%");
        });

        List<CloneEvent> history = h.events(clone);
        List<Progressed> progress = history.stream().filter(e -> e.type() == EventType.PROGRESSED)
                .map(e -> e.data(Progressed.class)).toList();
        assertThat(progress).isNotEmpty().allSatisfy(p -> {
            assertThat(p.phase()).isEqualTo(Progressed.CLONING_VOLUMES);
            assertThat(p.volumes()).extracting(VolumeProgress::dataVolume).containsExactlyElementsOf(dvNames);
        });
        assertThat(progress).extracting(p -> CdiPhases.percent(null, p.progress())).isSorted();
        assertThat(progress).anySatisfy(p -> assertThat(p.volumes()).extracting(VolumeProgress::phase).contains("CloneInProgress"));
        // ~150 status writes by CDI, coalesced: phase changes (3 per volume) and 5-point moves (20), plus at
        // most one a second otherwise.
        assertThat(cdiWrites).isGreaterThan(140);
        assertThat(progress.size()).isBetween(5, 45);
        assertThat(history).filteredOn(e -> e.type() == EventType.SUCCEEDED).hasSize(1);
        assertThat(history).noneMatch(e -> e.type() == EventType.FAILED);
        assertThat(history.get(history.size() - 1).type()).isEqualTo(EventType.SUCCEEDED);

        // The whole clone cost one VM create and one create per DataVolume: no other write.
        assertThat(h.calls.writes()).extracting(ApiCallLog.Call::method, ApiCallLog.Call::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/apis/kubevirt.io/v1/namespaces/apps/virtualmachines"),
                org.assertj.core.groups.Tuple.tuple("POST", "/apis/cdi.kubevirt.io/v1beta1/namespaces/apps/datavolumes"),
                org.assertj.core.groups.Tuple.tuple("POST", "/apis/cdi.kubevirt.io/v1beta1/namespaces/apps/datavolumes"),
                org.assertj.core.groups.Tuple.tuple("POST", "/apis/cdi.kubevirt.io/v1beta1/namespaces/apps/datavolumes"));
    }

    @Test
    void theSamePlanReplayedMakesOneVmNoErrorAndOneOutcome(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.startExecutor();
        CloneRef clone = newClone("api-clone");
        Planned plan = plan(clone, "api-copy", "root", "data");
        CloneEvent planned = CloneEvent.of("planner", EventType.PLANNED, plan, java.time.OffsetDateTime.now(), null);

        h.publish(planned);
        h.publish(planned); // redelivered, as after a planner or broker hiccup
        h.copyAll(plan);
        h.awaitEvent(clone, EventType.SUCCEEDED, Succeeded.class);
        h.publish(planned); // and once more after the clone finished
        CloneRef marker = newClone("marker");
        h.publishPlan(plan(marker, "marker-copy"));
        h.awaitEvent(marker, EventType.SUCCEEDED, Succeeded.class); // one partition: the replays were handled before

        assertThat(h.vms()).extracting(vm -> vm.getMetadata().getName()).containsExactlyInAnyOrder("api-copy", "marker-copy");
        assertThat(h.dataVolumes()).hasSize(2);
        List<CloneEvent> history = h.events(clone);
        assertThat(history).filteredOn(e -> e.type() == EventType.SUCCEEDED).hasSize(1);
        assertThat(history).noneMatch(e -> e.type() == EventType.FAILED);
        assertThat(history.get(history.size() - 1).type()).isEqualTo(EventType.PLANNED); // the late replay, answered by nothing
        // Three deliveries of the plan, one VM and two DataVolume creates (plus the marker's VM): nothing refused, nothing rewritten.
        assertThat(h.calls.writes()).allMatch(ApiCallLog.Call::ok).extracting(ApiCallLog.Call::method).containsOnly("POST");
        assertThat(h.calls.writes()).filteredOn(c -> c.creates("virtualmachines")).hasSize(2);
        assertThat(h.calls.writes()).filteredOn(c -> c.creates("datavolumes")).hasSize(2);
    }
}
