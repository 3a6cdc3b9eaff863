package io.vmclone.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.planner.SourceReader;
import io.vmclone.planner.core.BackendStorage;
import io.vmclone.planner.core.ClonePlanner;
import io.vmclone.planner.core.Plan;
import io.vmclone.planner.core.PlanInput;
import io.vmclone.planner.core.PlanOutcome;
import io.vmclone.planner.core.Rejection;
import io.vmclone.planner.core.SnapshotSource;
import io.vmclone.planner.core.SourceRunState;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            description = "VirtualMachineClone manifest (vmclone.io/v1beta1, clone.kubevirt.io/v1beta1 or v1alpha1); - reads standard input.")
    Path cloneFile;

    @Option(names = "--source", paramLabel = "VM.yaml",
            description = "The source VirtualMachine (or VirtualMachineSnapshot and its VirtualMachineSnapshotContent); may also"
                    + " hold its PVCs/DataVolumes and its persistent-state PVCs (label persistent-state-for).")
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
        boolean clusterNamed = kube.context != null || kube.kubeconfig != null;
        if (clusterNamed && sourceFile != null) {
            throw new UsageException("--source: give either --source (offline) or --context/--kubeconfig (read from the cluster), not both");
        }
        // As kubectl: without --source, the cluster of the current context (when there is one).
        boolean cluster = sourceFile == null && (clusterNamed || kube.hasCurrentContext());
        if (!cluster && sourceFile == null) {
            throw new UsageException("--source: required offline (no current kube context to read the source from; or use --context)");
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

    /**
     * The dry-run document: {@code targetName}, {@code virtualMachine}, {@code dataVolumes}, {@code changes}, and
     * {@code backendStorage} ({@code needs}, {@code mode}, and for Copy {@code dataVolume}, {@code from}) when the
     * source has backend storage.
     */
    static ObjectNode document(Plan plan) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("targetName", plan.targetName());
        doc.set("virtualMachine", plan.virtualMachine());
        doc.set("dataVolumes", Json.MAPPER.valueToTree(plan.dataVolumes()));
        doc.set("changes", Json.MAPPER.valueToTree(plan.changes()));
        if (plan.backendStorage() != null) {
            ObjectNode backend = doc.putObject("backendStorage");
            backend.set("needs", Json.MAPPER.valueToTree(plan.backendStorage().needs()));
            backend.put("mode", plan.backendStorage().mode());
            if (plan.backendStorage().dataVolume() != null) {
                backend.put("dataVolume", plan.backendStorage().dataVolume());
                backend.put("from", plan.backendStorage().from());
            }
        }
        return doc;
    }

    /** The source files' documents, by what planning needs of them. */
    private record SourceDocs(List<ObjectNode> vms, List<ObjectNode> snapshots, Map<String, ObjectNode> contents,
            List<ObjectNode> instances, List<ObjectNode> claims, List<ObjectNode> stateClaims) {}

    private SourceDocs sourceDocs() {
        SourceDocs d = new SourceDocs(new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        List<ObjectNode> docs = new ArrayList<>(ManifestFiles.read(sourceFile));
        claimFiles.forEach(f -> docs.addAll(ManifestFiles.read(f)));
        for (ObjectNode doc : docs) {
            String name = doc.path("metadata").path("name").asText("");
            switch (doc.path("kind").asText("")) {
                case "VirtualMachine" -> d.vms().add(doc);
                case "VirtualMachineSnapshot" -> d.snapshots().add(doc);
                case "VirtualMachineSnapshotContent" -> d.contents().put(name, doc);
                case "VirtualMachineInstance" -> d.instances().add(doc);
                case "PersistentVolumeClaim" -> (isStateClaim(doc) ? d.stateClaims() : d.claims()).add(doc);
                case "DataVolume" -> d.claims().add(doc);
                default -> { } // other kinds (Secrets, ConfigMaps) do not matter to planning
            }
        }
        return d;
    }

    /** A persistent-state PVC (KubeVirt's backend storage): labelled for a VM, or with the legacy name. */
    private static boolean isStateClaim(ObjectNode pvc) {
        return pvc.path("metadata").path("labels").has(BackendStorage.LABEL)
                || pvc.path("metadata").path("name").asText("").startsWith(BackendStorage.LABEL + "-");
    }

    private PlanInput offlineInput(CloneManifest clone) {
        CloneSpec cloneSpec = clone.spec();
        String wanted = cloneSpec.source() == null ? null : cloneSpec.source().name();
        boolean snapshot = cloneSpec.source() != null && CloneSpec.KIND_SNAPSHOT.equals(cloneSpec.source().kind());
        SourceDocs docs = sourceDocs();
        if (snapshot) {
            return offlineSnapshotInput(clone, wanted, docs);
        }
        ObjectNode vm = docs.vms().stream().filter(v -> v.path("metadata").path("name").asText("").equals(wanted)).findFirst()
                .orElse(docs.vms().isEmpty() ? null : docs.vms().get(0));
        if (vm == null) {
            throw UsageException.field("--source", sourceFile + " has no VirtualMachine");
        }
        String vmName = vm.path("metadata").path("name").asText("");
        if (wanted != null && !vmName.isEmpty() && !vmName.equals(wanted)) {
            throw UsageException.field("--source", sourceFile + " holds VirtualMachine '" + vmName
                    + "' but the clone's spec.source.name is '" + wanted + "'");
        }
        ObjectNode vmi = docs.instances().stream().filter(i -> i.path("metadata").path("name").asText("").equals(wanted))
                .findFirst().orElse(null);
        return new PlanInput(clone.ref(), cloneSpec, vm, null, null, docs.claims(), docs.stateClaims(),
                SourceRunState.running(vm, vmi), null);
    }

    /** The snapshot named by the clone and the content KubeVirt names for it; the planner checks them. */
    private PlanInput offlineSnapshotInput(CloneManifest clone, String wanted, SourceDocs docs) {
        ObjectNode snapshot = docs.snapshots().stream().filter(s -> s.path("metadata").path("name").asText("").equals(wanted))
                .findFirst().orElse(null);
        if (snapshot == null) {
            throw UsageException.field("--source", sourceFile + " has no VirtualMachineSnapshot '" + wanted + "'"
                    + (docs.contents().isEmpty() ? "" : " (a VirtualMachineSnapshotContent alone does not say whether the snapshot is ready)")
                    + "; add it and its VirtualMachineSnapshotContent, e.g. from kubectl get vmsnapshot,vmsnapshotcontent -o yaml");
        }
        String contentName = SnapshotSource.contentName(snapshot);
        ObjectNode content = contentName == null ? null : docs.contents().get(contentName);
        return new PlanInput(clone.ref(), clone.spec(), null, snapshot, content, docs.claims(), docs.stateClaims(), false, null);
    }
}
