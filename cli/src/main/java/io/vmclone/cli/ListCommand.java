package io.vmclone.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.render.ProgressView;
import io.vmclone.cli.render.Table;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() {
        try (KubernetesClient client = kube.client()) {
            var resources = client.genericKubernetesResources(KubeResources.clones(groupOption.group()));
            List<GenericKubernetesResource> clones = allNamespaces ? resources.inAnyNamespace().list().getItems()
                    : resources.inNamespace(kube.namespace(client)).list().getItems();
            var out = spec.commandLine().getOut();
            if (clones.isEmpty()) {
                out.println("No clones found.");
            } else {
                out.print(render(clones, allNamespaces));
            }
            out.flush();
            return Vmclone.OK;
        }
    }

    static String render(List<GenericKubernetesResource> clones, boolean withNamespace) {
        Table table = withNamespace ? new Table("NAMESPACE", "NAME", "SOURCE", "TARGET", "PHASE", "PROGRESS", "REASON")
                : new Table("NAME", "SOURCE", "TARGET", "PHASE", "PROGRESS", "REASON");
        clones.stream().sorted(Comparator.comparing((GenericKubernetesResource c) -> c.getMetadata().getNamespace())
                        .thenComparing(c -> c.getMetadata().getName()))
                .forEach(c -> {
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
                    String phase = status == null ? "" : status.phase();
                    String progress = status == null ? "" : status.progress();
                    String reason = "";
                    if (status != null && status.phaseOrNull() != null && status.phaseOrNull().terminal()
                            && !"Succeeded".equals(status.phase())) {
                        reason = ProgressView.outcome(status);
                    }
                    String name = c.getMetadata().getName();
                    if (withNamespace) {
                        table.row(c.getMetadata().getNamespace(), name, source, target, phase, progress, reason);
                    } else {
                        table.row(name, source, target, phase, progress, reason);
                    }
                });
        return table.render();
    }
}
