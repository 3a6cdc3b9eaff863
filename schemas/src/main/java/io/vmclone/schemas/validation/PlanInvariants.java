package io.vmclone.schemas.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every plan satisfies before anything is created from it: the invariants the planner builds in
 * (docs/planning.md), which the executor checks again, so a forged or corrupted {@code planned} event
 * creates nothing. Target VM and DataVolumes in the clone's own namespace, carrying its ownership labels;
 * the VM halted, without hostDisk volumes, claims it would share or templates of its own; every DataVolume
 * copying a PVC or snapshot of the clone's own namespace (or blank). Pure: a plan in, its violations out.
 */
public final class PlanInvariants {
    /** One broken invariant: where in the plan, and what is wrong. */
    public record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private PlanInvariants() {}

    public static List<Violation> check(Planned plan) {
        List<Violation> out = new ArrayList<>();
        CloneRef clone = plan.cloneRef();
        if (clone == null || clone.uid() == null || clone.uid().isEmpty()) {
            out.add(new Violation("clone.uid", "is required: without it the plan's objects cannot be told from anyone else's"));
            return out;
        }
        if (plan.targetName() == null || plan.targetName().isEmpty()) {
            out.add(new Violation("targetName", "is required"));
        }
        Set<String> dataVolumes = new HashSet<>();
        List<? extends JsonNode> dvs = plan.dataVolumes() == null ? List.of() : plan.dataVolumes();
        for (int i = 0; i < dvs.size(); i++) {
            checkDataVolume(dvs.get(i), "dataVolumes[" + i + "]", clone, dataVolumes, out);
        }
        if (plan.virtualMachine() == null) {
            out.add(new Violation("virtualMachine", "is required"));
        } else {
            checkVirtualMachine(plan.virtualMachine(), plan.targetName(), clone, dataVolumes, out);
        }
        return out;
    }

    private static void checkVirtualMachine(JsonNode vm, String targetName, CloneRef clone, Set<String> dataVolumes,
                                            List<Violation> out) {
        String at = "virtualMachine";
        kind(vm, at, "kubevirt.io/", "VirtualMachine", out);
        if (!vm.path("metadata").path("name").asText("").equals(targetName == null ? "" : targetName)) {
            out.add(new Violation(at + ".metadata.name", "must be the plan's targetName '" + targetName + "'"));
        }
        owned(vm, at, clone, out);
        if (!clone.key().equals(vm.path("metadata").path("annotations").path(CloneLabels.CREATED_BY).asText(null))) {
            out.add(new Violation(at + ".metadata.annotations." + CloneLabels.CREATED_BY, "must be " + clone.key()));
        }
        JsonNode spec = vm.path("spec");
        JsonNode running = spec.get("running");
        JsonNode strategy = spec.get("runStrategy");
        boolean haltedByStrategy = strategy != null && "Halted".equals(strategy.asText()) && (running == null || running.isNull());
        boolean haltedByRunning = running != null && running.isBoolean() && !running.booleanValue()
                && (strategy == null || strategy.isNull());
        if (!haltedByStrategy && !haltedByRunning) {
            out.add(new Violation(at + ".spec.runStrategy", "the target must be created halted (runStrategy Halted, or running false)"));
        }
        if (spec.path("dataVolumeTemplates").size() > 0) {
            out.add(new Violation(at + ".spec.dataVolumeTemplates", "must be empty: the target's disks are the planned DataVolumes"));
        }
        JsonNode volumes = spec.path("template").path("spec").path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            checkVolume(volumes.get(i), at + ".spec.template.spec.volumes[" + i + "]", dataVolumes, out);
        }
    }

    private static void checkVolume(JsonNode volume, String at, Set<String> dataVolumes, List<Violation> out) {
        if (volume.has("hostDisk")) {
            out.add(new Violation(at + ".hostDisk", "hostDisk volumes live on one node and are never cloned"));
        }
        if (volume.has("ephemeral")) {
            out.add(new Violation(at + ".ephemeral", "would share a claim: every claim of the target is a planned DataVolume"));
        }
        if (volume.has("persistentVolumeClaim")) {
            // kept as a claim where a dataVolume volume cannot say it (readOnly ...): the claim must be a planned
            // DataVolume's, whose PVC CDI names after it
            String claim = volume.path("persistentVolumeClaim").path("claimName").asText("");
            if (!dataVolumes.contains(claim)) {
                out.add(new Violation(at + ".persistentVolumeClaim.claimName",
                        "'" + claim + "' would share a claim: every claim of the target is a planned DataVolume"));
            }
        }
        if (volume.has("dataVolume")) {
            String name = volume.path("dataVolume").path("name").asText("");
            if (!dataVolumes.contains(name)) {
                out.add(new Violation(at + ".dataVolume.name", "'" + name + "' is not one of the planned DataVolumes"));
            }
        }
    }

    private static void checkDataVolume(JsonNode dv, String at, CloneRef clone, Set<String> names, List<Violation> out) {
        kind(dv, at, "cdi.kubevirt.io/", "DataVolume", out);
        String name = dv.path("metadata").path("name").asText("");
        if (name.isEmpty() || !names.add(name)) {
            out.add(new Violation(at + ".metadata.name", name.isEmpty() ? "is required" : "'" + name + "' is planned twice"));
        }
        owned(dv, at, clone, out);
        JsonNode spec = dv.path("spec");
        if (spec.has("sourceRef")) {
            out.add(new Violation(at + ".spec.sourceRef", "a DataSource may live in any namespace: plans copy a PVC or snapshot"));
        }
        JsonNode source = spec.path("source");
        List<String> kinds = new ArrayList<>();
        source.fieldNames().forEachRemaining(kinds::add);
        if (kinds.size() != 1 || !List.of("pvc", "snapshot", "blank").contains(kinds.get(0))) {
            out.add(new Violation(at + ".spec.source", "must be exactly one of pvc, snapshot or blank, got " + kinds));
            return;
        }
        JsonNode from = source.path(kinds.get(0));
        if (!kinds.get(0).equals("blank")) {
            String ns = from.path("namespace").asText(clone.namespace());
            if (!ns.equals(clone.namespace())) {
                out.add(new Violation(at + ".spec.source." + kinds.get(0) + ".namespace",
                        "must be the clone's namespace '" + clone.namespace() + "', got '" + ns + "'"));
            }
            if (from.path("name").asText("").isEmpty()) {
                out.add(new Violation(at + ".spec.source." + kinds.get(0) + ".name", "is required"));
            }
        }
    }

    /** The object's apiVersion is in {@code group} and its kind is {@code kind}. */
    private static void kind(JsonNode object, String at, String group, String kind, List<Violation> out) {
        if (!object.path("apiVersion").asText("").startsWith(group)) {
            out.add(new Violation(at + ".apiVersion", "must be in " + group.substring(0, group.length() - 1)));
        }
        if (!kind.equals(object.path("kind").asText(""))) {
            out.add(new Violation(at + ".kind", "must be " + kind));
        }
    }

    /**
     * In the clone's namespace (absent: the executor puts it there) and labelled as the clone's, as the
     * planner stamps it: uid, and the name as a label value.
     */
    private static void owned(JsonNode object, String at, CloneRef clone, List<Violation> out) {
        JsonNode metadata = object.path("metadata");
        String ns = metadata.path("namespace").asText(null);
        if (ns != null && !ns.equals(clone.namespace())) {
            out.add(new Violation(at + ".metadata.namespace", "must be the clone's namespace '" + clone.namespace() + "', got '" + ns + "'"));
        }
        JsonNode labels = metadata.path("labels");
        if (!clone.uid().equals(labels.path(CloneLabels.CLONE_UID).asText(null))) {
            out.add(new Violation(at + ".metadata.labels." + CloneLabels.CLONE_UID, "must be the clone's uid " + clone.uid()));
        }
        String nameLabel = labels.path(CloneLabels.CLONE_NAME).asText(null);
        if (!CloneLabels.nameLabelValue(clone.name()).equals(nameLabel)) {
            out.add(new Violation(at + ".metadata.labels." + CloneLabels.CLONE_NAME, "must be " + CloneLabels.nameLabelValue(clone.name())));
        }
    }
}
