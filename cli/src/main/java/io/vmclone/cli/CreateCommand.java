package io.vmclone.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vmclone create}: manifests, like {@code virtctl create}. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Print a manifest.",
        subcommands = {CreateCloneCommand.class, CreateCloneSetCommand.class})
final class CreateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: clone or cloneset");
    }
}
