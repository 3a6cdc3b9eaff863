package io.vmclone.planner.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Reasons;
import java.util.EnumSet;
import java.util.List;

/**
 * Applies the user's {@code spec.patches} (one RFC 6902 operation each, syntax and paths already checked
 * by {@code CloneSpecValidator}) to the planned VM, after every generated change, so they take precedence
 * as in KubeVirt. Semantics follow KubeVirt's json-patch v4 library: {@code replace} of a missing object
 * member adds it (the MAC/serial patches rely on it), {@code remove} of a missing member fails.
 */
final class PatchApplier {
    private PatchApplier() {}

    private static final EnumSet<CompatibilityFlags> KUBEVIRT_LIKE = EnumSet.of(
            CompatibilityFlags.ALLOW_MISSING_TARGET_OBJECT_ON_REPLACE,
            CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

    static ObjectNode apply(ObjectNode vm, List<String> patches, List<String> changes) {
        if (patches == null) {
            return vm;
        }
        JsonNode current = vm;
        for (int i = 0; i < patches.size(); i++) {
            String field = "spec.patches[" + i + "]";
            try {
                JsonNode op = Json.MAPPER.readTree(patches.get(i));
                ArrayNode one = Json.MAPPER.createArrayNode().add(op);
                current = JsonPatch.apply(one, current, KUBEVIRT_LIKE);
                changes.add("patch " + i + " applied: " + op.path("op").asText() + " " + op.path("path").asText());
            } catch (JsonProcessingException e) {
                // The validator runs first; kept so a direct caller still gets a rejection, not an exception.
                throw new RejectedException(Reasons.INVALID_SPEC, field, "patch " + i + ": patch is not valid JSON (" + patches.get(i) + ")");
            } catch (JsonPatchApplicationException e) {
                throw new RejectedException(Reasons.INVALID_SPEC, field,
                        "patch " + i + " cannot be applied to the planned VM: " + e.getMessage());
            }
        }
        if (!current.isObject()) {
            throw new RejectedException(Reasons.INVALID_SPEC, "spec.patches", "patches turned the VM into a non-object");
        }
        return (ObjectNode) current;
    }
}
