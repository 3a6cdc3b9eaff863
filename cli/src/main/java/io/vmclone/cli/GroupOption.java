package io.vmclone.cli;

import picocli.CommandLine.Option;

/** {@code --api-group}: which VirtualMachineClone resource the command talks to. */
public final class GroupOption {
    @Option(names = "--api-group", paramLabel = "GROUP",
            description = "API group of VirtualMachineClone: vmclone.io (default, or $VMCLONE_API_GROUP) or clone.kubevirt.io.")
    String apiGroup;

    public String group() {
        return ApiGroups.resolve(apiGroup);
    }
}
