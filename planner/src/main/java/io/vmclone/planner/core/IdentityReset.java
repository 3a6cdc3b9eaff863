package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Makes the copied manifest a new object: new name and namespace, no server-owned metadata, no status,
 * no annotations that describe the source's history, created halted.
 */
final class IdentityReset {
    private IdentityReset() {}

    /** Set by the API server or by controllers for the source object; meaningless (or harmful) on a new one. */
    static final List<String> SERVER_OWNED_METADATA = List.of(
            "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
            "deletionGracePeriodSeconds", "managedFields", "ownerReferences", "finalizers", "selfLink", "generateName");

    /**
     * Annotations that describe the source's own history. {@code restore.kubevirt.io/lastRestoreUID} is
     * dropped too: KubeVirt keeps it because its restore writes it; we do not restore, so on the target
     * it would point at a restore of the source.
     */
    static final List<String> CONTROLLER_OWNED_ANNOTATIONS = List.of(
            "kubevirt.io/latest-observed-api-version",
            "kubevirt.io/storage-observed-api-version",
            "kubectl.kubernetes.io/last-applied-configuration",
            "restore.kubevirt.io/lastRestoreUID");

    static void apply(ObjectNode vm, String namespace, String targetName, List<String> changes) {
        if (!vm.hasNonNull("apiVersion")) {
            vm.put("apiVersion", "kubevirt.io/v1");
        }
        vm.put("kind", "VirtualMachine");
        ObjectNode metadata = Nodes.ensure(vm, "metadata");
        String sourceName = metadata.path("name").asText("");
        metadata.put("name", targetName);
        metadata.put("namespace", namespace);
        changes.add("name: " + sourceName + " -> " + targetName);
        for (String field : SERVER_OWNED_METADATA) {
            if (metadata.remove(field) != null) {
                changes.add("metadata." + field + " removed");
            }
        }
        ObjectNode annotations = Nodes.obj(metadata, "annotations");
        if (annotations != null) {
            for (String key : CONTROLLER_OWNED_ANNOTATIONS) {
                if (annotations.remove(key) != null) {
                    changes.add("annotation " + key + " removed (describes the source's history)");
                }
            }
        }
        if (vm.remove("status") != null) {
            changes.add("status removed");
        }
        dropRevisionName(vm, "instancetype", changes);
        dropRevisionName(vm, "preference", changes);
        halt(vm, changes);
    }

    /**
     * A revisionName points at a ControllerRevision owned by the source VM (garbage-collected with it);
     * without it KubeVirt captures a fresh revision for the target, as KubeVirt's clone does.
     */
    private static void dropRevisionName(ObjectNode vm, String field, List<String> changes) {
        ObjectNode matcher = Nodes.obj(vm, "spec", field);
        if (matcher != null && matcher.remove("revisionName") != null) {
            changes.add(field + " " + matcher.path("name").asText() + ": revisionName removed; the target gets its own ControllerRevision");
        }
    }

    /** Offline clone: the target is created stopped, in the style the source uses (KubeVirt's restore does the same). */
    static void halt(ObjectNode vm, List<String> changes) {
        ObjectNode spec = Nodes.ensure(vm, "spec");
        JsonNode running = spec.get("running");
        if (running != null && !running.isNull()) {
            if (!running.isBoolean() || running.booleanValue()) {
                changes.add("running: " + running.asText() + " -> false (target is created halted)");
            }
            spec.put("running", false);
            spec.remove("runStrategy");
        } else {
            String strategy = spec.path("runStrategy").asText(null);
            if (!"Halted".equals(strategy)) {
                changes.add("runStrategy: " + (strategy == null ? "(unset)" : strategy) + " -> Halted (target is created halted)");
            }
            spec.remove("running");
            spec.put("runStrategy", "Halted");
        }
    }
}
