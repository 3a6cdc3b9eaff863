package io.vmclone.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.render.ProgressView;
import io.vmclone.cli.render.Table;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vmclone status NAME}: one clone's status, conditions and volumes. Exit 1 if the clone does not exist. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show one clone's status, conditions and volumes.")
final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The VirtualMachineClone.")
    String name;

    @Mixin
    KubeOptions kube;

    @Mixin
    GroupOption groupOption;

    @Mixin
    ResourceOutput output;

    @Override
    public Integer call() {
        try (KubernetesClient client = kube.client()) {
            String ns = kube.namespace(client);
            GenericKubernetesResource clone = ClusterErrors.orExplain(client, groupOption.group(), () -> client
                    .genericKubernetesResources(KubeResources.clones(groupOption.group())).inNamespace(ns).withName(name).get());
            if (clone == null) {
                ClusterErrors.requireCloneType(client, groupOption.group());
                spec.commandLine().getErr().println("error: virtualmachineclone " + ns + "/" + name
                        + " not found (vmclone audit " + name + " shows the history of deleted clones)");
                spec.commandLine().getErr().flush();
                return Vmclone.FAILED;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(output.readable() ? render(clone) : output.one(clone));
            out.flush();
            return Vmclone.OK;
        }
    }

    static String render(GenericKubernetesResource clone) {
        CloneStatus status = VirtualMachineClones.status(clone);
        CloneSpec cloneSpec = null;
        try {
            cloneSpec = VirtualMachineClones.spec(clone);
        } catch (IllegalArgumentException e) {
            // an invalid spec still has a status worth showing
        }
        StringBuilder sb = new StringBuilder();
        field(sb, "Name", clone.getMetadata().getName());
        field(sb, "Namespace", clone.getMetadata().getNamespace());
        if (cloneSpec != null && cloneSpec.source() != null) {
            field(sb, "Source", cloneSpec.source().kind() + " " + cloneSpec.source().name());
        }
        String target = status != null && status.targetName() != null ? status.targetName()
                : cloneSpec != null && cloneSpec.target() != null ? cloneSpec.target().name() : null;
        field(sb, "Target", target == null ? "(generated when planned)" : target);
        if (status == null) {
            field(sb, "Phase", "(no status yet: is the vmclone pipeline running?)");
            return sb.toString();
        }
        field(sb, "Phase", status.phase());
        field(sb, "Progress", ProgressView.progress(status));
        field(sb, "Started", status.startTime());
        field(sb, "Completed", status.completionTime());
        if (status.conditions() != null && !status.conditions().isEmpty()) {
            sb.append("Conditions:\n");
            Table t = new Table("  TYPE", "STATUS", "REASON", "MESSAGE");
            status.conditions().forEach(c -> t.row("  " + c.type(), c.status(), c.reason(), c.message()));
            sb.append(t.render());
        }
        if (status.volumes() != null && !status.volumes().isEmpty()) {
            sb.append("Volumes:\n");
            Table t = new Table("  VOLUME", "DATAVOLUME", "PHASE", "PROGRESS", "STRATEGY", "NOTE");
            status.volumes().forEach(v -> t.row("  " + v.name(), v.dataVolume(), v.phase(), v.progress(), v.strategy(), note(v)));
            sb.append(t.render());
        }
        return sb.toString();
    }

    /** Why CDI holds the volume back, or why it fell back to a host-assisted copy: CDI's words. */
    private static String note(CloneStatus.VolumeStatus v) {
        if (v.reason() != null) {
            return v.reason() + ": " + (v.message() == null ? "" : v.message());
        }
        return v.fallbackReason() == null ? null : "fell back to copy: " + v.fallbackReason();
    }

    private static void field(StringBuilder sb, String label, String value) {
        if (value != null) {
            sb.append(String.format("%-11s %s%n", label + ":", value));
        }
    }
}
