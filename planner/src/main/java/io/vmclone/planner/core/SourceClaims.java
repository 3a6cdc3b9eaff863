package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The PVCs and DataVolumes passed in {@link PlanInput#sourceClaims()}, looked up by kind and name. */
final class SourceClaims {
    private final Map<String, ObjectNode> pvcs = new HashMap<>();
    private final Map<String, ObjectNode> dataVolumes = new HashMap<>();

    SourceClaims(List<ObjectNode> claims) {
        for (ObjectNode claim : claims) {
            String name = Nodes.text(claim, "metadata", "name");
            String kind = Nodes.text(claim, "kind");
            if (name == null || kind == null) {
                continue;
            }
            if (kind.equals("PersistentVolumeClaim")) {
                pvcs.put(name, claim);
            } else if (kind.equals("DataVolume")) {
                dataVolumes.put(name, claim);
            }
        }
    }

    ObjectNode pvc(String name) {
        return pvcs.get(name);
    }

    ObjectNode dataVolume(String name) {
        return dataVolumes.get(name);
    }

    /** The PVC that holds a DataVolume's data: {@code status.claimName} when CDI reported one, else the DV's name. */
    String claimOf(String dataVolumeName) {
        JsonNode dv = dataVolumes.get(dataVolumeName);
        String claim = Nodes.text(dv, "status", "claimName");
        return claim != null && !claim.isEmpty() ? claim : dataVolumeName;
    }
}
