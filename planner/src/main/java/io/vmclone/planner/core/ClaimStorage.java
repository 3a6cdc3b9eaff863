package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;

/**
 * What we know of a source claim's storage; any field may be null (unknown), then CDI's
 * {@code storage} API fills it in (size is inferred from the source for clones).
 */
record ClaimStorage(String storageClassName, ArrayNode accessModes, String volumeMode, String size) {

    static final ClaimStorage UNKNOWN = new ClaimStorage(null, null, null, null);

    /** From a PVC: its spec, and its actual capacity when bound (never clone into something smaller). */
    static ClaimStorage ofPvc(JsonNode pvc) {
        if (pvc == null) {
            return UNKNOWN;
        }
        JsonNode spec = pvc.path("spec");
        String size = Nodes.text(pvc, "status", "capacity", "storage");
        if (size == null) {
            size = Nodes.text(spec, "resources", "requests", "storage");
        }
        return new ClaimStorage(Nodes.text(spec, "storageClassName"), Nodes.array(spec, "accessModes"),
                Nodes.text(spec, "volumeMode"), size);
    }

    /** From a DataVolume or dataVolumeTemplate: {@code spec.storage}, else the older {@code spec.pvc}. */
    static ClaimStorage ofDataVolume(JsonNode dv) {
        if (dv == null) {
            return UNKNOWN;
        }
        JsonNode claim = dv.path("spec").has("storage") ? dv.path("spec").path("storage") : dv.path("spec").path("pvc");
        return new ClaimStorage(Nodes.text(claim, "storageClassName"), Nodes.array(claim, "accessModes"),
                Nodes.text(claim, "volumeMode"), Nodes.text(claim, "resources", "requests", "storage"));
    }

    /** Field-wise: this where known, else {@code other}. */
    ClaimStorage or(ClaimStorage other) {
        return new ClaimStorage(
                storageClassName != null ? storageClassName : other.storageClassName,
                accessModes != null ? accessModes : other.accessModes,
                volumeMode != null ? volumeMode : other.volumeMode,
                size != null ? size : other.size);
    }

    /** With what the clone asks for its copy ({@code spec.volumeStorage}) in place of what the source had. */
    ClaimStorage asked(CloneSpec.VolumeStorage wanted) {
        ArrayNode modes = null;
        if (wanted.accessModes() != null) {
            modes = Json.MAPPER.createArrayNode();
            wanted.accessModes().forEach(modes::add);
        }
        return new ClaimStorage(wanted.storageClassName(), modes, wanted.volumeMode(), null).or(this);
    }

    /** The DataVolume {@code spec.storage} block. */
    ObjectNode toStorageSpec() {
        ObjectNode storage = Json.MAPPER.createObjectNode();
        if (storageClassName != null) {
            storage.put("storageClassName", storageClassName);
        }
        if (accessModes != null) {
            storage.set("accessModes", accessModes.deepCopy());
        }
        if (volumeMode != null) {
            storage.put("volumeMode", volumeMode);
        }
        if (size != null) {
            storage.putObject("resources").putObject("requests").put("storage", size);
        }
        return storage;
    }
}
