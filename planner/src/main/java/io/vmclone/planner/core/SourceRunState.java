package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Whether a source VM runs, for {@link PlanInput#sourceRunning()}. Its VirtualMachineInstance decides when
 * there is one: a VMI that has finished ({@code status.phase} Succeeded or Failed, KubeVirt's
 * {@code IsFinal()}, e.g. the guest shut down under {@code runStrategy: Manual}) no longer uses the disks, and
 * CDI ignores its finished pod too. Without a VMI, the VM's own status is trusted.
 */
public final class SourceRunState {
    private SourceRunState() {}

    static final Set<String> FINAL_PHASES = Set.of("Succeeded", "Failed");

    /** {@code vmi} may be null (none exists); {@code vm} may be null (no source). */
    public static boolean running(JsonNode vm, JsonNode vmi) {
        if (vmi != null && !vmi.isMissingNode() && !vmi.isNull()) {
            return !FINAL_PHASES.contains(vmi.path("status").path("phase").asText(""));
        }
        JsonNode status = vm == null ? null : vm.path("status");
        return status != null && (status.path("ready").asBoolean(false) || "Running".equals(status.path("printableStatus").asText()));
    }
}
