package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Reasons;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the target's volumes and plans one new DataVolume per PVC-backed source volume.
 *
 * <ul>
 *   <li>{@code dataVolume}, {@code persistentVolumeClaim} (and the {@code dataVolumeTemplates} behind them):
 *       a new DataVolume cloning the source claim ({@code source.pvc}, or {@code source.snapshot} from the
 *       snapshot content's volume backup, or {@code source.blank} with {@code cloneDisks: false}); the target
 *       volume becomes {@code dataVolume: {name: <new>}}, except a read-only claim, which stays a read-only
 *       {@code persistentVolumeClaim} volume on the new claim. The target has no {@code dataVolumeTemplates}
 *       (they would re-import from the original source) and no volume naming a source claim (#12082).</li>
 *   <li>Volumes that only reference same-namespace config or are ephemeral by nature are copied as-is.</li>
 *   <li>{@code memoryDump}: dropped (a dump of the source is not part of the clone).</li>
 *   <li>{@code hostDisk}, {@code ephemeral} (a PVC the target would share) and unknown types: refused.</li>
 * </ul>
 */
final class VolumePlanner {

    static final Set<String> COPIED_AS_IS = Set.of("containerDisk", "cloudInitNoCloud", "cloudInitConfigDrive",
            "configMap", "secret", "serviceAccount", "sysprep", "downwardAPI", "downwardMetrics", "emptyDisk");

    /** The planned DataVolumes and the names of every source claim, which no target volume may reference. */
    record Result(List<ObjectNode> dataVolumes, Set<String> sourceClaimNames) {}

    private final CloneRef clone;
    private final CloneSpec spec;
    private final String targetName;
    private final ObjectNode snapshotContent;
    private final SourceClaims claims;
    private final List<String> changes;

    // Per plan: the templates by name, what the volumes used, and what planning produced.
    private final Map<String, ObjectNode> templates = new HashMap<>();
    private final Set<String> sourceClaimNames = new LinkedHashSet<>();
    private final Set<String> usedTemplates = new LinkedHashSet<>();
    private final Set<String> droppedVolumes = new LinkedHashSet<>();
    private final List<ObjectNode> dataVolumes = new ArrayList<>();
    /** The source volumes copied into DataVolumes, which {@code spec.volumeStorage} may name. */
    private final Set<String> clonedVolumes = new LinkedHashSet<>();

    VolumePlanner(CloneRef clone, CloneSpec spec, String targetName, ObjectNode snapshotContent, SourceClaims claims,
            List<String> changes) {
        this.clone = clone;
        this.spec = spec;
        this.targetName = targetName;
        this.snapshotContent = snapshotContent;
        this.claims = claims;
        this.changes = changes;
    }

    Result plan(ObjectNode vm) {
        ObjectNode vmSpec = Nodes.ensure(vm, "spec");
        ArrayNode templateList = Nodes.array(vmSpec, "dataVolumeTemplates");
        if (templateList != null) {
            for (JsonNode t : templateList) {
                String name = Nodes.text(t, "metadata", "name");
                if (name != null) {
                    templates.put(name, (ObjectNode) t);
                    sourceClaimNames.add(name);
                }
            }
        }
        ArrayNode volumes = Nodes.array(vm, "spec", "template", "spec", "volumes");
        if (volumes != null) {
            ArrayNode rewritten = Json.MAPPER.createArrayNode();
            for (int i = 0; i < volumes.size(); i++) {
                String field = "spec.template.spec.volumes[" + i + "]";
                if (!volumes.get(i).isObject()) {
                    throw new RejectedException(Reasons.SOURCE_UNSUPPORTED, field, "volume " + i + " is not an object");
                }
                ObjectNode target = rewrite((ObjectNode) volumes.get(i), field);
                if (target != null) {
                    rewritten.add(target);
                }
            }
            Nodes.vmiSpec(vm).set("volumes", rewritten);
            dropDisksOf(vm, droppedVolumes);
        }
        if (templateList != null) {
            vmSpec.remove("dataVolumeTemplates");
            for (String t : templates.keySet().stream().sorted().toList()) {
                if (!usedTemplates.contains(t)) {
                    changes.add("dataVolumeTemplate " + t + " dropped: no volume uses it");
                }
            }
            changes.add("dataVolumeTemplates removed: the target's disks are the planned DataVolumes");
        }
        sourceClaimNames.remove(null);
        refuseNamesOfSourceClaims();
        refuseStorageForVolumesNotCloned();
        return new Result(dataVolumes, sourceClaimNames);
    }

    /** The target's volume for one source volume, or null when it is dropped. */
    private ObjectNode rewrite(ObjectNode volume, String field) {
        String name = volume.path("name").asText("");
        String type = typeOf(volume);
        switch (type) {
            case "dataVolume" -> {
                String dvName = required(Nodes.text(volume, "dataVolume", "name"), name, "dataVolume.name", field);
                sourceClaimNames.add(dvName);
                String pvcName = claims.claimOf(dvName);
                sourceClaimNames.add(pvcName);
                if (templates.containsKey(dvName)) {
                    usedTemplates.add(dvName);
                }
                ClaimStorage storage = ClaimStorage.ofPvc(claims.pvc(pvcName))
                        .or(ClaimStorage.ofDataVolume(claims.dataVolume(dvName)))
                        .or(ClaimStorage.ofDataVolume(templates.get(dvName)));
                String what = "DataVolume " + dvName + (pvcName.equals(dvName) ? "" : " (PVC " + pvcName + ")");
                return cloneVolume(volume, name, type, pvcName, what, storage, field);
            }
            case "persistentVolumeClaim" -> {
                String pvcName = required(Nodes.text(volume, "persistentVolumeClaim", "claimName"), name,
                        "persistentVolumeClaim.claimName", field);
                sourceClaimNames.add(pvcName);
                return cloneVolume(volume, name, type, pvcName, "PVC " + pvcName, ClaimStorage.ofPvc(claims.pvc(pvcName)), field);
            }
            case "memoryDump" -> {
                sourceClaimNames.add(Nodes.text(volume, "memoryDump", "claimName"));
                droppedVolumes.add(name);
                changes.add("volume " + name + ": memory dump volume dropped");
                return null;
            }
            case "hostDisk" -> throw new RejectedException(Reasons.SOURCE_UNSUPPORTED, field,
                    "volume " + name + " is a hostDisk; hostDisk volumes live on one node and cannot be cloned");
            case "ephemeral" -> throw new RejectedException(Reasons.SOURCE_UNSUPPORTED, field,
                    "volume " + name + " is an ephemeral volume backed by PVC "
                            + Nodes.text(volume, "ephemeral", "persistentVolumeClaim", "claimName")
                            + "; the clone would share the source's claim, which is not supported");
            default -> {
                if (!COPIED_AS_IS.contains(type)) {
                    throw new RejectedException(Reasons.SOURCE_UNSUPPORTED, field,
                            "volume " + name + " has unsupported type " + (type.isEmpty() ? "(none)" : type));
                }
                return volume;
            }
        }
    }

    private static String modes(ArrayNode modes) {
        List<String> out = new ArrayList<>();
        modes.forEach(m -> out.add(m.asText()));
        return String.join("/", out);
    }

    private static String describe(ClaimStorage s) {
        return "storage class " + (s.storageClassName() == null ? "(default)" : s.storageClassName())
                + (s.accessModes() == null ? "" : ", " + modes(s.accessModes()))
                + (s.volumeMode() == null ? "" : ", " + s.volumeMode());
    }

    /** A {@code volumeStorage} entry for a volume that is not copied would silently do nothing. */
    private void refuseStorageForVolumesNotCloned() {
        List<CloneSpec.VolumeStorage> entries = spec.volumeStorage() == null ? List.of() : spec.volumeStorage();
        for (int i = 0; i < entries.size(); i++) {
            String volume = entries.get(i).volume();
            if (!CloneSpec.VolumeStorage.EVERY_VOLUME.equals(volume) && !clonedVolumes.contains(volume)) {
                throw new RejectedException(Reasons.INVALID_SPEC, "spec.volumeStorage[" + i + "].volume", "the source VM has no cloned volume "
                        + volume + " (cloned: " + (clonedVolumes.isEmpty() ? "none" : String.join(", ", clonedVolumes)) + ")");
            }
        }
    }

    /** Only possible with PrefixTargetName; creating such a DataVolume would hand the target the source's disk. */
    private void refuseNamesOfSourceClaims() {
        for (ObjectNode dv : dataVolumes) {
            String name = Nodes.text(dv, "metadata", "name");
            if (sourceClaimNames.contains(name)) {
                throw new RejectedException(Reasons.TARGET_EXISTS, "spec.volumeNamePolicy", "planned DataVolume " + name
                        + " has the name of a claim the source VM uses; choose another target name or RandomizeNames");
            }
        }
    }

    private ObjectNode cloneVolume(ObjectNode volume, String volumeName, String type, String pvcName, String what,
            ClaimStorage known, String field) {
        String dvName = DataVolumeNaming.name(clone, spec, targetName, volumeName);
        ObjectNode source = Json.MAPPER.createObjectNode();
        ClaimStorage storage = known;
        String origin;
        if (snapshotContent != null) {
            JsonNode backup = SnapshotSource.backupOf(snapshotContent, volumeName);
            String snapshot = Nodes.text(backup, "volumeSnapshotName");
            if (backup == null || snapshot == null) {
                // SnapshotSource checked the backups already; kept so this step never plans a volume from nothing.
                throw new RejectedException(Reasons.SNAPSHOT_CONTENT_INVALID, field, String.format(
                        "volume %s is not backed up in snapshot %s", volumeName, spec.source().name()));
            }
            storage = ClaimStorage.ofPvc(Nodes.obj(backup, "persistentVolumeClaim")).or(known);
            source.putObject("snapshot").put("namespace", clone.namespace()).put("name", snapshot);
            origin = "restoring VolumeSnapshot " + snapshot;
        } else {
            source.putObject("pvc").put("namespace", clone.namespace()).put("name", pvcName);
            origin = "cloning " + what;
        }
        if (!spec.copiesDisks()) {
            if (storage.size() == null) {
                throw new RejectedException(Reasons.SOURCE_UNSUPPORTED, "spec.cloneDisks", "volume " + volumeName
                        + ": the size of " + what + " is unknown, so a blank disk of the same size cannot be planned");
            }
            source.removeAll();
            source.putObject("blank");
            origin = "blank, " + storage.size() + " like " + what + " (cloneDisks=false)";
        }
        var wanted = spec.storageFor(volumeName);
        if (wanted.isPresent()) {
            ClaimStorage asked = storage.asked(wanted.get());
            origin += ", into " + describe(asked) + " (spec.volumeStorage; the source's: " + describe(storage) + ")";
            storage = asked;
        }
        clonedVolumes.add(volumeName);
        dataVolumes.add(DataVolumes.manifest(clone, dvName, volumeName, source, storage));
        changes.add("volume " + volumeName + ": new DataVolume " + dvName + " " + origin);
        return targetVolume(volume, volumeName, type, dvName);
    }

    /**
     * The target volume on the new DataVolume: {@code dataVolume {name, hotpluggable}}, unless the source is a
     * {@code persistentVolumeClaim} volume that says more than a dataVolume volume can ({@code readOnly: true},
     * or a field we do not know). That one keeps its form and every field, on the claim CDI creates under the
     * DataVolume's name, as KubeVirt's restore keeps it; KubeVirt waits for the DataVolume behind such a claim.
     */
    private ObjectNode targetVolume(ObjectNode volume, String volumeName, String type, String dvName) {
        ObjectNode rewritten = Json.MAPPER.createObjectNode();
        rewritten.put("name", volumeName);
        JsonNode sourceRef = volume.path(type);
        if (type.equals("persistentVolumeClaim") && keepsClaimForm(sourceRef)) {
            ObjectNode claim = ((ObjectNode) sourceRef).deepCopy();
            claim.put("claimName", dvName);
            rewritten.set(type, claim);
            changes.add("volume " + volumeName + ": stays a persistentVolumeClaim volume (" + claimExtras(sourceRef)
                    + " kept) on claim " + dvName + ", the PVC of the new DataVolume");
            return rewritten;
        }
        ObjectNode ref = rewritten.putObject("dataVolume").put("name", dvName);
        JsonNode hotpluggable = sourceRef.get("hotpluggable");
        if (hotpluggable != null) {
            ref.set("hotpluggable", hotpluggable);
        }
        return rewritten;
    }

    /** What a persistentVolumeClaim volume source says beyond what a dataVolume source can carry. */
    private static List<String> claimOnlyFields(JsonNode claimRef) {
        List<String> extras = new ArrayList<>();
        claimRef.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            boolean unset = v.isNull() || (v.isBoolean() && !v.booleanValue());
            if (!e.getKey().equals("claimName") && !e.getKey().equals("hotpluggable") && !unset) {
                extras.add(e.getKey());
            }
        });
        return extras;
    }

    private static boolean keepsClaimForm(JsonNode claimRef) {
        return claimRef.isObject() && !claimOnlyFields(claimRef).isEmpty();
    }

    private static String claimExtras(JsonNode claimRef) {
        return String.join(", ", claimOnlyFields(claimRef));
    }

    private static String required(String value, String volume, String what, String field) {
        if (value == null || value.isEmpty()) {
            throw new RejectedException(Reasons.SOURCE_UNSUPPORTED, field, "volume " + volume + " has no " + what);
        }
        return value;
    }

    /** The volume type: its single field besides {@code name}. */
    static String typeOf(JsonNode volume) {
        var names = volume.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("name")) {
                return n;
            }
        }
        return "";
    }

    private static void dropDisksOf(ObjectNode vm, Set<String> volumes) {
        ArrayNode disks = Nodes.array(vm, "spec", "template", "spec", "domain", "devices", "disks");
        if (disks == null || volumes.isEmpty()) {
            return;
        }
        for (int i = disks.size() - 1; i >= 0; i--) {
            if (volumes.contains(disks.get(i).path("name").asText())) {
                disks.remove(i);
            }
        }
    }

    /** Source claims a target volume still references (must be empty; checked again after user patches). */
    static List<String> referencesToSourceClaims(ObjectNode vm, Set<String> sourceClaimNames) {
        List<String> found = new ArrayList<>();
        ArrayNode volumes = Nodes.array(vm, "spec", "template", "spec", "volumes");
        if (volumes == null) {
            return found;
        }
        for (JsonNode v : volumes) {
            for (String claim : new String[] {
                    Nodes.text(v, "dataVolume", "name"),
                    Nodes.text(v, "persistentVolumeClaim", "claimName"),
                    Nodes.text(v, "ephemeral", "persistentVolumeClaim", "claimName")}) {
                if (claim != null && sourceClaimNames.contains(claim)) {
                    found.add("volume " + v.path("name").asText() + " references source claim " + claim);
                }
            }
        }
        return found;
    }
}
