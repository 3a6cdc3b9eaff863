package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.Reasons;
import java.util.ArrayList;
import java.util.List;

/**
 * A VirtualMachineSnapshot source, checked as KubeVirt's clone controller checks it before it restores
 * ({@code verifySnapshotReady}, {@code verifySnapshotContent}): the snapshot is ready to use, its content
 * exists, belongs to it and holds the VM, and every PVC or DataVolume volume of that VM has a volume backup.
 * KubeVirt waits for a snapshot that is not ready; the planner answers once, so it refuses it.
 */
public final class SnapshotSource {
    private SnapshotSource() {}

    static final String FIELD = "spec.source.name";

    /** KubeVirt's content name for {@code snapshot}: {@code status.virtualMachineSnapshotContentName}, else {@code vmsnapshot-content-<uid>}. */
    public static String contentName(JsonNode snapshot) {
        String named = Nodes.text(snapshot, "status", "virtualMachineSnapshotContentName");
        if (named != null && !named.isEmpty()) {
            return named;
        }
        String uid = Nodes.text(snapshot, "metadata", "uid");
        return uid == null ? null : "vmsnapshot-content-" + uid;
    }

    /** The VM stored in a ready, consistent snapshot; else a rejection naming what is wrong. */
    static ObjectNode vmOf(String namespace, String snapshotName, ObjectNode snapshot, ObjectNode content) {
        String ref = namespace + "/" + snapshotName;
        if (snapshot == null) {
            throw new RejectedException(Reasons.SOURCE_NOT_FOUND, FIELD, "source VirtualMachineSnapshot " + ref + " not found");
        }
        JsonNode ready = snapshot.path("status").get("readyToUse");
        if (ready == null || !ready.isBoolean() || !ready.booleanValue()) {
            String phase = Nodes.text(snapshot, "status", "phase");
            throw new RejectedException(Reasons.SNAPSHOT_NOT_READY, FIELD, "source VirtualMachineSnapshot " + ref
                    + " is not ready to use (status.readyToUse: " + (ready == null ? "unset" : ready.asText())
                    + (phase == null ? "" : ", phase " + phase) + ")");
        }
        String contentName = contentName(snapshot);
        if (content == null) {
            throw invalid("snapshot content " + contentName + " in namespace " + namespace + " does not exist");
        }
        String owner = Nodes.text(content, "spec", "virtualMachineSnapshotName");
        if (owner == null || owner.isEmpty()) {
            throw invalid("cannot get snapshot name from content " + contentName);
        }
        if (!owner.equals(snapshotName)) {
            throw invalid("snapshot content " + contentName + " belongs to VirtualMachineSnapshot " + owner + ", not " + snapshotName);
        }
        ObjectNode vm = Nodes.obj(content, "spec", "source", "virtualMachine");
        if (vm == null) {
            throw invalid("snapshot content " + contentName + " holds no VirtualMachine (spec.source.virtualMachine)");
        }
        List<String> problems = backupProblems(vm, content, snapshotName, contentName);
        if (!problems.isEmpty()) {
            throw invalid(String.join("; ", problems));
        }
        return vm;
    }

    /** Every PVC/DataVolume volume needs a volume backup with a VolumeSnapshot to restore from. */
    private static List<String> backupProblems(ObjectNode vm, ObjectNode content, String snapshotName, String contentName) {
        List<String> problems = new ArrayList<>();
        for (JsonNode volume : vm.path("spec").path("template").path("spec").path("volumes")) {
            if (!volume.has("persistentVolumeClaim") && !volume.has("dataVolume")) {
                continue;
            }
            String name = volume.path("name").asText("");
            JsonNode backup = backupOf(content, name);
            if (backup == null) {
                problems.add(String.format("volume %s is not backed up in snapshot %s", name, snapshotName));
            } else if (Nodes.text(backup, "volumeSnapshotName") == null) {
                problems.add("the backup of volume " + name + " in snapshot content " + contentName + " has no volumeSnapshotName");
            }
        }
        return problems;
    }

    static JsonNode backupOf(JsonNode content, String volumeName) {
        for (JsonNode b : content.path("spec").path("volumeBackups")) {
            if (volumeName.equals(b.path("volumeName").asText(null))) {
                return b;
            }
        }
        return null;
    }

    private static RejectedException invalid(String message) {
        return new RejectedException(Reasons.SNAPSHOT_CONTENT_INVALID, FIELD, message);
    }
}
