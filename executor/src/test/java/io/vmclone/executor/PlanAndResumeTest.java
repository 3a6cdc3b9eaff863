package io.vmclone.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.kube.CloneLabels;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure parts: what is created from a plan, what is followed, what is resumed after a restart. */
class PlanAndResumeTest {
    private final CloneRef clone = new CloneRef("apps", "web-clone", "uid-1");

    @Test
    @SuppressWarnings("unchecked")
    void theVmIsStampedWithTheClonesIdentityAndHaltedWhateverThePlanSays() {
        Planned plan = ExecutorHarness.plan(clone, "web-copy", "root");
        ObjectNode vm = plan.virtualMachine().deepCopy();
        ((ObjectNode) vm.get("spec")).put("running", true).put("runStrategy", "Always");
        ((ObjectNode) vm.get("metadata")).put("namespace", "elsewhere").put("resourceVersion", "42");
        ((ObjectNode) vm.get("metadata").get("labels")).put(CloneLabels.CLONE_UID, "someone-else");

        GenericKubernetesResource made = TargetManifests.virtualMachine(vm, clone);

        assertThat(made.getMetadata().getNamespace()).isEqualTo("apps");
        assertThat(made.getMetadata().getResourceVersion()).isNull();
        assertThat(made.getMetadata().getLabels()).containsEntry(CloneLabels.CLONE_UID, "uid-1")
                .containsEntry(CloneLabels.CLONE_NAME, "web-clone").containsEntry("app", "web");
        assertThat(made.getMetadata().getAnnotations()).containsEntry(CloneLabels.CREATED_BY, "apps/web-clone");
        Map<String, Object> spec = (Map<String, Object>) made.getAdditionalProperties().get("spec");
        assertThat(spec.get("runStrategy")).isEqualTo("Halted");
        assertThat(spec).doesNotContainKey("running");
        assertThat(plan.virtualMachine().path("spec").has("running")).as("the plan itself is not modified").isFalse();
    }

    @Test
    void dataVolumesAreOwnedByTheVmAndNameTheirVolume() {
        Planned plan = ExecutorHarness.plan(clone, "web-copy", "root");
        GenericKubernetesResource vm = TargetManifests.virtualMachine(plan.virtualMachine(), clone);
        vm.getMetadata().setUid("vm-uid");

        GenericKubernetesResource dv = TargetManifests.dataVolume(plan.dataVolumes().get(0), clone, "root", vm);

        assertThat(dv.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo("vm-uid");
            assertThat(o.getKind()).isEqualTo("VirtualMachine");
            assertThat(o.getApiVersion()).isEqualTo("kubevirt.io/v1");
            assertThat(o.getName()).isEqualTo("web-copy");
        });
        assertThat(dv.getMetadata().getAnnotations()).containsEntry(CloneLabels.VOLUME, "root");
        assertThat(TargetManifests.ownedBy(dv, clone)).isTrue();
        assertThat(TargetManifests.ownedBy(dv, new CloneRef("apps", "web-clone", "uid-2"))).isFalse();
        assertThat(TargetManifests.ownedBy(dv, new CloneRef("apps", "web-clone", null))).as("a uid-less clone owns nothing").isFalse();
    }

    @Test
    void eachFollowedVolumeIsNamedByAnnotationElseByTheVmVolumeThatUsesIt() {
        Planned plan = ExecutorHarness.plan(clone, "web-copy", "root", "data");
        ((ObjectNode) plan.dataVolumes().get(1).get("metadata")).putObject("annotations").put(CloneLabels.VOLUME, "data-disk");

        FollowedClone followed = FollowedClone.of(plan);

        assertThat(followed.volumes()).containsExactly(new FollowedClone.Volume("root", "web-copy-root"),
                new FollowedClone.Volume("data-disk", "web-copy-data"));
        assertThat(followed.targetName()).isEqualTo("web-copy");
    }

    @Test
    void afterARestartInFlightClonesAreFollowedAndFinishedOnesRemembered() {
        CloneRef running = new CloneRef("apps", "running", "u-run");
        CloneRef done = new CloneRef("apps", "done", "u-done");
        CloneRef cancelled = new CloneRef("apps", "cancelled", "u-cancel");
        CloneRef orphan = new CloneRef("apps", "orphan", "u-orphan"); // plan no longer in the log
        CloneRef unapplied = new CloneRef("apps", "unapplied", "u-new"); // planned, no object yet (or its VM was deleted)
        Planned runningPlan = ExecutorHarness.plan(running, "running-copy", "root", "data");
        List<CloneEvent> log = List.of(
                event(EventType.PLANNED, runningPlan),
                event(EventType.PLANNED, ExecutorHarness.plan(done, "done-copy", "root")),
                event(EventType.PROGRESSED, new Progressed(running, Progressed.CLONING_VOLUMES, "running-copy", "10.00%", null)),
                event(EventType.SUCCEEDED, new Succeeded(done, "done-copy", List.of())),
                event(EventType.CANCELLED, new Cancelled(cancelled, List.of())),
                event(EventType.PLANNED, ExecutorHarness.plan(unapplied, "unapplied-copy", "root")));
        List<GenericKubernetesResource> vms = List.of(
                vmOf(runningPlan), vmOf(ExecutorHarness.plan(done, "done-copy", "root")),
                vmOf(ExecutorHarness.plan(orphan, "orphan-copy", "disk")));

        Resumption resumption = Resumption.decide(log, vms);

        assertThat(resumption.outcomes()).containsOnly(Map.entry("u-done", EventType.SUCCEEDED), Map.entry("u-cancel", EventType.CANCELLED));
        assertThat(resumption.toFollow()).extracting(f -> f.ref().uid()).containsExactly("u-run", "u-new", "u-orphan");
        assertThat(resumption.toFollow().get(0)).isEqualTo(FollowedClone.of(runningPlan));
        FollowedClone fromVm = resumption.toFollow().get(2);
        assertThat(fromVm.ref()).isEqualTo(orphan);
        assertThat(fromVm.targetName()).isEqualTo("orphan-copy");
        assertThat(fromVm.volumes()).containsExactly(new FollowedClone.Volume("disk", "orphan-copy-disk"));
    }

    private static CloneEvent event(EventType type, io.vmclone.schemas.events.CloneEventData data) {
        // From the stage that emits the type: Resumption ignores events from any other source.
        String stage = type == EventType.PLANNED ? "planner" : type == EventType.CANCEL_REQUESTED ? "bridge" : "executor";
        return CloneEvent.of(stage, type, data, OffsetDateTime.now(), null);
    }

    private static GenericKubernetesResource vmOf(Planned plan) {
        return TargetManifests.virtualMachine(plan.virtualMachine(), plan.cloneRef());
    }
}
