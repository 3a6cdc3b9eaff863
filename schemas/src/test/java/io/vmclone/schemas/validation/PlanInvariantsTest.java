package io.vmclone.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each invariant, broken one at a time on a plan like the planner's: the violation names where. */
class PlanInvariantsTest {
    private static final CloneRef CLONE = new CloneRef("apps", "web-clone", "uid-1");

    /** A change to the plan's VM and DataVolumes, and the field its violation must name (null: still valid). */
    record Change(String name, BiConsumer<ObjectNode, List<ObjectNode>> change, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Change> changes() {
        return List.of(
                new Change("as planned", (vm, dvs) -> { }, null),
                new Change("halted with running: false", (vm, dvs) -> vm.with("spec").put("running", false).remove("runStrategy"), null),
                new Change("a blank DataVolume", (vm, dvs) -> dvs.get(0).with("spec").with("source").removeAll().putObject("blank"), null),
                new Change("a snapshot of the clone's namespace", (vm, dvs) -> dvs.get(0).with("spec").with("source").removeAll()
                        .putObject("snapshot").put("namespace", "apps").put("name", "snap-root"), null),
                new Change("no namespace on the VM (the executor sets the clone's)", (vm, dvs) -> vm.with("metadata").remove("namespace"), null),
                new Change("VM in another namespace", (vm, dvs) -> vm.with("metadata").put("namespace", "kube-system"),
                        "virtualMachine.metadata.namespace"),
                new Change("DataVolume in another namespace", (vm, dvs) -> dvs.get(0).with("metadata").put("namespace", "other"),
                        "dataVolumes[0].metadata.namespace"),
                new Change("VM without the uid label", (vm, dvs) -> vm.with("metadata").with("labels").remove(CloneLabels.CLONE_UID),
                        "virtualMachine.metadata.labels." + CloneLabels.CLONE_UID),
                new Change("VM labelled for another clone", (vm, dvs) -> vm.with("metadata").with("labels").put(CloneLabels.CLONE_UID, "uid-2"),
                        "virtualMachine.metadata.labels." + CloneLabels.CLONE_UID),
                new Change("DataVolume with another clone's name label", (vm, dvs) -> dvs.get(1).with("metadata").with("labels")
                        .put(CloneLabels.CLONE_NAME, "other"), "dataVolumes[1].metadata.labels." + CloneLabels.CLONE_NAME),
                new Change("VM without created-by", (vm, dvs) -> vm.with("metadata").with("annotations").remove(CloneLabels.CREATED_BY),
                        "virtualMachine.metadata.annotations." + CloneLabels.CREATED_BY),
                new Change("VM that would start", (vm, dvs) -> vm.with("spec").put("runStrategy", "Always"), "virtualMachine.spec.runStrategy"),
                new Change("VM with running: true", (vm, dvs) -> vm.with("spec").put("running", true).remove("runStrategy"),
                        "virtualMachine.spec.runStrategy"),
                new Change("VM with a hostDisk", (vm, dvs) -> volumes(vm).addObject().put("name", "host").putObject("hostDisk")
                        .put("path", "/etc"), "virtualMachine.spec.template.spec.volumes[2].hostDisk"),
                new Change("VM sharing a claim", (vm, dvs) -> volumes(vm).addObject().put("name", "shared").putObject("persistentVolumeClaim")
                        .put("claimName", "source-root"), "virtualMachine.spec.template.spec.volumes[2].persistentVolumeClaim.claimName"),
                new Change("a read-only claim on a planned DataVolume's PVC is fine", (vm, dvs) -> {
                    ObjectNode data = (ObjectNode) volumes(vm).get(1);
                    data.remove("dataVolume");
                    data.putObject("persistentVolumeClaim").put("claimName", "web-copy-data").put("readOnly", true);
                },
                        null),
                new Change("VM disk on a DataVolume not planned", (vm, dvs) -> ((ObjectNode) volumes(vm).get(0)).with("dataVolume")
                        .put("name", "source-root"), "virtualMachine.spec.template.spec.volumes[0].dataVolume.name"),
                new Change("VM with its own dataVolumeTemplates", (vm, dvs) -> vm.with("spec").putArray("dataVolumeTemplates").addObject()
                        .putObject("metadata").put("name", "t"), "virtualMachine.spec.dataVolumeTemplates"),
                new Change("VM renamed", (vm, dvs) -> vm.with("metadata").put("name", "other-vm"), "virtualMachine.metadata.name"),
                new Change("VM of another kind", (vm, dvs) -> vm.put("kind", "Pod"), "virtualMachine.kind"),
                new Change("PVC from another namespace", (vm, dvs) -> dvs.get(0).with("spec").with("source").with("pvc")
                        .put("namespace", "secrets"), "dataVolumes[0].spec.source.pvc.namespace"),
                new Change("snapshot from another namespace", (vm, dvs) -> dvs.get(1).with("spec").with("source").removeAll()
                        .putObject("snapshot").put("namespace", "prod").put("name", "s"), "dataVolumes[1].spec.source.snapshot.namespace"),
                new Change("an http source", (vm, dvs) -> dvs.get(0).with("spec").with("source").removeAll().putObject("http")
                        .put("url", "http://evil/disk.img"), "dataVolumes[0].spec.source"),
                new Change("a DataSource reference", (vm, dvs) -> dvs.get(0).with("spec").putObject("sourceRef").put("namespace", "x"),
                        "dataVolumes[0].spec.sourceRef"),
                new Change("two sources", (vm, dvs) -> dvs.get(0).with("spec").with("source").putObject("blank"), "dataVolumes[0].spec.source"),
                new Change("a DataVolume planned twice", (vm, dvs) -> dvs.get(1).with("metadata").put("name", "web-copy-root"),
                        "dataVolumes[1].metadata.name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void everyBrokenInvariantIsNamed(Change c) {
        Planned plan = plan();
        c.change().accept(plan.virtualMachine(), plan.dataVolumes());

        List<PlanInvariants.Violation> violations = PlanInvariants.check(plan);

        if (c.field() == null) {
            assertThat(violations).isEmpty();
        } else {
            assertThat(violations).extracting(PlanInvariants.Violation::field).contains(c.field());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aPlanWithoutAUidIsRefusedWhateverElseItSays(Change c) {
        Planned valid = plan();
        c.change().accept(valid.virtualMachine(), valid.dataVolumes());
        Planned noUid = new Planned(new CloneRef(CLONE.namespace(), CLONE.name(), null), valid.targetName(), valid.virtualMachine(),
                valid.dataVolumes(), valid.changes());
        assertThat(PlanInvariants.check(noUid)).extracting(PlanInvariants.Violation::field).containsExactly("clone.uid");
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode volumes(ObjectNode vm) {
        return vm.with("spec").with("template").with("spec").withArray("volumes");
    }

    /** A halted VM with two disks, each a new DataVolume cloning a PVC of the clone's namespace. */
    private static Planned plan() {
        ObjectNode vm = Json.MAPPER.createObjectNode().put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        ObjectNode meta = vm.putObject("metadata").put("name", "web-copy").put("namespace", "apps");
        meta.putObject("labels").put(CloneLabels.CLONE_UID, "uid-1").put(CloneLabels.CLONE_NAME, "web-clone");
        meta.putObject("annotations").put(CloneLabels.CREATED_BY, "apps/web-clone");
        vm.putObject("spec").put("runStrategy", "Halted");
        List<ObjectNode> dvs = new ArrayList<>();
        for (String volume : List.of("root", "data")) {
            volumes(vm).addObject().put("name", volume).putObject("dataVolume").put("name", "web-copy-" + volume);
            ObjectNode dv = Json.MAPPER.createObjectNode().put("apiVersion", "cdi.kubevirt.io/v1beta1").put("kind", "DataVolume");
            ObjectNode dvMeta = dv.putObject("metadata").put("name", "web-copy-" + volume).put("namespace", "apps");
            dvMeta.putObject("labels").put(CloneLabels.CLONE_UID, "uid-1").put(CloneLabels.CLONE_NAME, "web-clone");
            dv.putObject("spec").putObject("source").putObject("pvc").put("namespace", "apps").put("name", "source-" + volume);
            dvs.add(dv);
        }
        return new Planned(CLONE, "web-copy", vm, dvs, List.of());
    }
}
