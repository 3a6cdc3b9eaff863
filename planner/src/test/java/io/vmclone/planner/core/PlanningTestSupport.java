package io.vmclone.planner.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers: plan a fixture, insist on a Plan or a Rejection, read manifests. */
final class PlanningTestSupport {
    private PlanningTestSupport() {}

    static final ClonePlanner PLANNER = new ClonePlanner();

    static PlanOutcome plan(CorpusFixture f, CloneSpec spec) {
        return PLANNER.plan(new PlanInput(Specs.CLONE, spec, f.vm(), null, null, f.claims(), f.stateClaims(), false, null));
    }

    /** A VirtualMachine source without persistent-state claims. */
    static PlanInput vmInput(CloneRef clone, CloneSpec spec, ObjectNode vm, List<ObjectNode> claims, boolean running, ObjectNode existing) {
        return new PlanInput(clone, spec, vm, null, null, claims, List.of(), running, existing);
    }

    /** A VirtualMachineSnapshot source (the VM comes from the content). */
    static PlanInput snapshotInput(CloneSpec spec, ObjectNode snapshot, ObjectNode content) {
        return new PlanInput(Specs.CLONE, spec, null, snapshot, content, List.of(), List.of(), false, null);
    }

    /** A VirtualMachineSnapshot {@code name} in namespace vms, ready to use, whose content is {@code contentName}. */
    static ObjectNode readySnapshot(String name, String contentName) {
        return yaml("{apiVersion: snapshot.kubevirt.io/v1beta1, kind: VirtualMachineSnapshot, metadata: {name: " + name
                + ", namespace: vms, uid: snap-uid-" + name + "}, status: {readyToUse: true, phase: Succeeded,"
                + " virtualMachineSnapshotContentName: " + contentName + "}}");
    }

    static Plan planned(CorpusFixture f, CloneSpec spec) {
        return planned(plan(f, spec));
    }

    static Plan planned(PlanOutcome outcome) {
        assertThat(outcome).isInstanceOf(Plan.class);
        return (Plan) outcome;
    }

    static Rejection rejected(PlanOutcome outcome) {
        assertThat(outcome).isInstanceOf(Rejection.class);
        return (Rejection) outcome;
    }

    static CloneSpec specFor(CorpusFixture f) {
        return Specs.from(f.vmName()).build();
    }

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Json.YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> interfaces(ObjectNode vm) {
        List<JsonNode> out = new ArrayList<>();
        vm.path("spec").path("template").path("spec").path("domain").path("devices").path("interfaces").forEach(out::add);
        return out;
    }

    static List<JsonNode> volumes(ObjectNode vm) {
        List<JsonNode> out = new ArrayList<>();
        vm.path("spec").path("template").path("spec").path("volumes").forEach(out::add);
        return out;
    }

    static JsonNode volume(ObjectNode vm, String name) {
        return volumes(vm).stream().filter(v -> v.path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    static ObjectNode dataVolume(Plan plan, String name) {
        return plan.dataVolumes().stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no DataVolume " + name + " in " + plan.dataVolumes()));
    }

    static CloneRef cloneWithUid(String uid) {
        return new CloneRef("vms", "my-clone", uid);
    }
}
