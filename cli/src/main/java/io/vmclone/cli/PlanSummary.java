package io.vmclone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.cli.render.Table;
import io.vmclone.planner.core.BackendStoragePlan;
import io.vmclone.planner.core.Plan;
import io.vmclone.planner.core.PlanInput;

/** The readable dry-run output: what would be created, from what, and every change planning made. */
final class PlanSummary {
    private PlanSummary() {}

    static String render(PlanInput input, Plan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan for VirtualMachineClone ").append(input.cloneRef().key()).append('\n');
        sb.append("  source: ").append(input.spec().source().kind()).append(' ').append(input.spec().source().name()).append('\n');
        JsonNode vmSpec = plan.virtualMachine().path("spec");
        String state = vmSpec.has("running") ? "running: false" : "runStrategy: " + vmSpec.path("runStrategy").asText("Halted");
        sb.append("  target: VirtualMachine ").append(plan.targetName()).append(" (created halted, ").append(state).append(")\n");
        sb.append('\n');
        if (plan.dataVolumes().isEmpty()) {
            sb.append("DataVolumes: none (no PVC-backed volumes to copy)\n");
        } else {
            sb.append("DataVolumes (").append(plan.dataVolumes().size()).append("):\n");
            Table table = new Table("  NAME", "FROM", "SIZE", "STORAGE CLASS");
            for (ObjectNode dv : plan.dataVolumes()) {
                boolean backend = dv.path("metadata").path("name").asText().equals(stateDataVolume(plan));
                table.row("  " + dv.path("metadata").path("name").asText(),
                        from(dv.path("spec").path("source")) + (backend ? " (backend storage)" : ""),
                        dv.path("spec").path("storage").path("resources").path("requests").path("storage").asText(""),
                        dv.path("spec").path("storage").path("storageClassName").asText(""));
            }
            sb.append(table.render());
        }
        backendStorage(plan, sb);
        sb.append('\n').append("Changes (").append(plan.changes().size()).append("):\n");
        plan.changes().forEach(c -> sb.append("  - ").append(c).append('\n'));
        sb.append('\n').append("Nothing was created. -o yaml or -o json prints the full manifests.\n");
        return sb.toString();
    }

    /** The persistent TPM/EFI state (KubeVirt's backend storage): copied into which DataVolume, or started fresh. */
    private static void backendStorage(Plan plan, StringBuilder sb) {
        BackendStoragePlan backend = plan.backendStorage();
        if (backend == null) {
            return;
        }
        sb.append('\n').append("Backend storage (").append(String.join(", ", backend.needs())).append("): ").append(backend.mode());
        if (backend.dataVolume() != null) {
            sb.append(", DataVolume ").append(backend.dataVolume()).append(" from ").append(backend.from())
                    .append(" becomes the target's persistent-state PVC\n");
        } else {
            sb.append(", nothing copied: the target starts with new state (KubeVirt creates it on the first start)\n");
        }
    }

    private static String stateDataVolume(Plan plan) {
        return plan.backendStorage() == null ? null : plan.backendStorage().dataVolume();
    }

    private static String from(JsonNode source) {
        if (source.has("pvc")) {
            return "pvc " + source.path("pvc").path("name").asText();
        }
        if (source.has("snapshot")) {
            return "snapshot " + source.path("snapshot").path("name").asText();
        }
        if (source.has("blank")) {
            return "blank";
        }
        return source.fieldNames().hasNext() ? source.fieldNames().next() : "-";
    }
}
