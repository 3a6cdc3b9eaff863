package io.vmclone.cli;

import io.vmclone.schemas.kube.CloneCrd;
import io.vmclone.schemas.sets.CloneSetCrd;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmclone crd}: prints the CRDs vmclone serves, the clone CRD rendered for the API group the services are
 * configured with ({@code VMCLONE_API_GROUP}), as deploy/base ships them for {@code vmclone.io}.
 */
@Command(name = "crd", mixinStandardHelpOptions = true,
        description = {"Print the CRDs (VirtualMachineClone for --api-group, and VirtualMachineCloneSet) as YAML.",
                "Example: vmclone crd --api-group clone.example.com | kubectl apply -f -"})
final class CrdCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--api-group", paramLabel = "GROUP",
            description = "The group to serve VirtualMachineClone in (default vmclone.io, or $VMCLONE_API_GROUP).")
    String apiGroup;

    @Override
    public Integer call() {
        String group = ApiGroups.resolve(apiGroup);
        var out = spec.commandLine().getOut();
        out.print(CloneCrd.yaml(group));
        out.println("---");
        out.print(CloneSetCrd.yaml());
        out.flush();
        return Vmclone.OK;
    }
}
