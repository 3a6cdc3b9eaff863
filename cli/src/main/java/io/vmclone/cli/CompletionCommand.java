package io.vmclone.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints the bash (and zsh, via bashcompinit) completion script: {@code source <(vmclone completion)}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for vmclone.",
                "Use: source <(vmclone completion)   or   vmclone completion > /etc/bash_completion.d/vmclone"})
final class CompletionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash("vmclone", root));
        spec.commandLine().getOut().flush();
    }
}
