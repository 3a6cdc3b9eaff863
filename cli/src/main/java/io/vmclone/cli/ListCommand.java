package io.vmclone.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.render.ProgressView;
import io.vmclone.cli.render.Table;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vmclone list}: every clone in the namespace (or all) with phase, progress and the outcome. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List clones with their phase and progress.")
final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-A", "--all-namespaces"}, description = "List clones in every namespace.")
    boolean allNamespaces;

    @Mixin
    KubeOptions kube;

    @Mixin
    GroupOption groupOption;

    @Mixin
    ResourceOutput output;

    @Override
    public Integer call() {
        try (KubernetesClient client = kube.client()) {
            var resources = client.genericKubernetesResources(KubeResources.clones(groupOption.group()));
            List<GenericKubernetesResource> clones = ClusterErrors.orExplain(client, groupOption.group(), () -> allNamespaces
                    ? resources.inAnyNamespace().list().getItems() : resources.inNamespace(kube.namespace(client)).list().getItems());
            var out = spec.commandLine().getOut();
            if (!output.readable()) {
                out.print(output.many(sorted(clones)));
            } else if (clones.isEmpty()) {
                out.println("No clones found.");
            } else {
                out.print(render(clones, allNamespaces, output.wide()));
            }
            out.flush();
            return Vmclone.OK;
        }
    }

    private static List<GenericKubernetesResource> sorted(List<GenericKubernetesResource> clones) {
        return clones.stream().sorted(Comparator.comparing((GenericKubernetesResource c) -> c.getMetadata().getNamespace())
                .thenComparing(c -> c.getMetadata().getName())).toList();
    }

    /** The table; {@code wide} adds each volume's clone strategy and the start and completion times. */
    static String render(List<GenericKubernetesResource> clones, boolean withNamespace, boolean wide) {
        List<String> headers = new ArrayList<>(List.of("NAME", "SOURCE", "TARGET", "PHASE", "PROGRESS", "REASON"));
        if (withNamespace) {
            headers.add(0, "NAMESPACE");
        }
        if (wide) {
            headers.addAll(List.of("STRATEGY", "STARTED", "COMPLETED"));
        }
        Table table = new Table(headers.toArray(String[]::new));
        sorted(clones).forEach(c -> table.row(row(c, withNamespace, wide).toArray(String[]::new)));
        return table.render();
    }

    private static List<String> row(GenericKubernetesResource c, boolean withNamespace, boolean wide) {
        CloneStatus status = VirtualMachineClones.status(c);
        String source = "";
        String target = "";
        try {
            CloneSpec s = VirtualMachineClones.spec(c);
            source = s.source() == null ? "" : s.source().name();
            target = s.target() == null ? "" : s.target().name();
        } catch (IllegalArgumentException e) {
            source = "(invalid spec)";
        }
        if (status != null && status.targetName() != null) {
            target = status.targetName();
        }
        String reason = "";
        if (status != null && status.phaseOrNull() != null && status.phaseOrNull().terminal() && !"Succeeded".equals(status.phase())) {
            reason = ProgressView.outcome(status);
        }
        List<String> cells = new ArrayList<>();
        if (withNamespace) {
            cells.add(c.getMetadata().getNamespace());
        }
        cells.addAll(List.of(c.getMetadata().getName(), source, target, status == null ? "" : nullToEmpty(status.phase()),
                status == null ? "" : nullToEmpty(status.progress()), reason));
        if (wide) {
            String strategies = status == null || status.volumes() == null ? "" : status.volumes().stream()
                    .map(v -> v.strategy() == null ? "-" : v.strategy()).distinct().collect(Collectors.joining(","));
            cells.addAll(List.of(strategies, status == null ? "" : nullToEmpty(status.startTime()),
                    status == null ? "" : nullToEmpty(status.completionTime())));
        }
        return cells;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
