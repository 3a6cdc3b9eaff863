package io.vmclone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.planner.SourceReader;
import io.vmclone.planner.core.ClonePlanner;
import io.vmclone.planner.core.Plan;
import io.vmclone.planner.core.PlanInput;
import io.vmclone.planner.core.PlanOutcome;
import io.vmclone.planner.core.Rejection;
import io.vmclone.planner.core.SourceRunState;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmclone plan}: the dry run. Plans a clone manifest against a source VM from files (offline) or
 * from a cluster ({@code --context}/{@code --kubeconfig}) with the same pure planner the service uses,
 * and prints what would be created. Exit 0 planned, 1 rejected (reason on stderr), 2 bad input.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Dry-run a clone: print the target VM, its DataVolumes and every change, without creating anything.",
                "Offline:  vmclone plan -f clone.yaml --source vm.yaml [--pvc pvc.yaml ...] [-o yaml|json]",
                "Cluster:  vmclone plan -f clone.yaml --context my-cluster",
                "Exit code: 0 planned, 1 rejected (reason on stderr), 2 usage error."})
final class PlanCommand implements Callable<Integer> {
    enum Output { yaml, json }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--filename"}, paramLabel = "CLONE.yaml", required = true,
            description = "VirtualMachineClone manifest (vmclone.io/v1beta1, clone.kubevirt.io/v1beta1 or v1alpha1).")
    Path cloneFile;

    @Option(names = "--source", paramLabel = "VM.yaml",
            description = "The source VirtualMachine (or VirtualMachineSnapshotContent); may also hold its PVCs/DataVolumes.")
    Path sourceFile;

    @Option(names = "--pvc", paramLabel = "PVC.yaml", description = "PersistentVolumeClaims/DataVolumes the source uses (repeatable).")
    List<Path> claimFiles = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml or json (default: a readable summary).")
    Output output;

    @CommandLine.Mixin
    KubeOptions kube;

    private final ClonePlanner planner = new ClonePlanner();

    @Override
    public Integer call() {
        boolean cluster = kube.context != null || kube.kubeconfig != null;
        if (cluster && sourceFile != null) {
            throw new UsageException("--source: give either --source (offline) or --context/--kubeconfig (read from the cluster), not both");
        }
        if (!cluster && sourceFile == null) {
            throw new UsageException("--source: required offline (or use --context to read the source from a cluster)");
        }
        ObjectNode cloneDoc = ManifestFiles.read(cloneFile).stream()
                .filter(d -> "VirtualMachineClone".equals(d.path("kind").asText())).findFirst()
                .orElseThrow(() -> UsageException.field(cloneFile + ": kind", "no VirtualMachineClone in the file"));
        PlanInput input;
        if (cluster) {
            try (KubernetesClient client = kube.client()) {
                CloneManifest clone = CloneManifest.from(cloneDoc, cloneFile.toString(), kube.namespace(client));
                input = new SourceReader(client).read(clone.ref(), clone.spec());
            }
        } else {
            CloneManifest clone = CloneManifest.from(cloneDoc, cloneFile.toString(), kube.namespace == null ? "default" : kube.namespace);
            input = offlineInput(clone);
        }
        PlanOutcome outcome = planner.plan(input);
        PrintWriter out = spec.commandLine().getOut();
        if (outcome instanceof Rejection r) {
            PrintWriter err = spec.commandLine().getErr();
            // The message of a spec rejection already lists "field: what is wrong" for every violation.
            boolean named = r.field() == null || r.message().startsWith(r.field() + ":");
            err.println("rejected (" + r.reason() + "): " + (named ? "" : r.field() + ": ") + r.message());
            err.flush();
            return Vmclone.FAILED;
        }
        Plan plan = (Plan) outcome;
        try {
            if (output == Output.json) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document(plan)));
            } else if (output == Output.yaml) {
                out.print(CliYaml.MAPPER.writeValueAsString(document(plan)));
            } else {
                out.print(PlanSummary.render(input, plan));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not render the plan", e);
        }
        out.flush();
        return Vmclone.OK;
    }

    /** The dry-run document: {@code targetName}, {@code virtualMachine}, {@code dataVolumes}, {@code changes}. */
    static ObjectNode document(Plan plan) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("targetName", plan.targetName());
        doc.set("virtualMachine", plan.virtualMachine());
        doc.set("dataVolumes", Json.MAPPER.valueToTree(plan.dataVolumes()));
        doc.set("changes", Json.MAPPER.valueToTree(plan.changes()));
        return doc;
    }

    private PlanInput offlineInput(CloneManifest clone) {
        CloneSpec cloneSpec = clone.spec();
        String wanted = cloneSpec.source() == null ? null : cloneSpec.source().name();
        boolean snapshot = cloneSpec.source() != null && CloneSpec.KIND_SNAPSHOT.equals(cloneSpec.source().kind());
        ObjectNode vm = null;
        ObjectNode content = null;
        ObjectNode vmi = null;
        List<ObjectNode> claims = new ArrayList<>();
        List<ObjectNode> docs = new ArrayList<>(ManifestFiles.read(sourceFile));
        claimFiles.forEach(f -> docs.addAll(ManifestFiles.read(f)));
        for (ObjectNode doc : docs) {
            String kind = doc.path("kind").asText("");
            String name = doc.path("metadata").path("name").asText("");
            switch (kind) {
                case "VirtualMachine" -> {
                    if (!snapshot && (vm == null || name.equals(wanted))) {
                        vm = doc;
                    }
                }
                case "VirtualMachineSnapshotContent" -> {
                    content = doc;
                    JsonNode stored = doc.path("spec").path("source").path("virtualMachine");
                    if (snapshot && stored instanceof ObjectNode o) {
                        vm = o;
                    }
                }
                case "VirtualMachineInstance" -> vmi = name.equals(wanted) ? doc : vmi;
                case "PersistentVolumeClaim", "DataVolume" -> claims.add(doc);
                default -> { } // other kinds (Secrets, ConfigMaps) do not matter to planning
            }
        }
        if (vm == null) {
            throw UsageException.field("--source", sourceFile + " has no "
                    + (snapshot ? "VirtualMachineSnapshotContent with spec.source.virtualMachine" : "VirtualMachine"));
        }
        String vmName = vm.path("metadata").path("name").asText("");
        if (!snapshot && wanted != null && !vmName.isEmpty() && !vmName.equals(wanted)) {
            throw UsageException.field("--source", sourceFile + " holds VirtualMachine '" + vmName
                    + "' but the clone's spec.source.name is '" + wanted + "'");
        }
        boolean running = !snapshot && SourceRunState.running(vm, vmi);
        return new PlanInput(clone.ref(), cloneSpec, vm, snapshot ? content : null, claims, running, null);
    }
}
