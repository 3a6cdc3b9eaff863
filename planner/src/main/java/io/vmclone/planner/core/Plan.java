package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The exact objects to create for one clone.
 *
 * @param targetName     the resolved target VM name (given or generated)
 * @param virtualMachine the complete target VirtualMachine manifest, halted
 * @param dataVolumes    one DataVolume manifest per PVC-backed volume of the source, plus the backend-storage copy
 *                       when {@code backendStorage} is Copy
 * @param changes        human-readable lines: what was stripped, renamed, patched (dry-run output, audit log)
 * @param backendStorage what happens to the source's backend storage; null when the source has none
 */
public record Plan(String targetName, ObjectNode virtualMachine, List<ObjectNode> dataVolumes, List<String> changes,
        BackendStoragePlan backendStorage) implements PlanOutcome {

    public Plan {
        dataVolumes = List.copyOf(dataVolumes);
        changes = List.copyOf(changes);
    }
}
