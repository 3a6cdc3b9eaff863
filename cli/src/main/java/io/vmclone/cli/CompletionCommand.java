package io.vmclone.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;

/**
 * Prints a completion script: bash (picocli's, which zsh runs through bashcompinit) or fish, both also completing
 * names from the cluster — clones for {@code status} and {@code audit} ({@code vmclone list -o name}) and
 * VirtualMachines for {@code clone} and {@code request} ({@code kubectl get virtualmachines -o name}, when kubectl is
 * installed).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for vmclone: bash (default), zsh or fish.",
                "bash/zsh: source <(vmclone completion)   or   vmclone completion > /etc/bash_completion.d/vmclone",
                "fish:     vmclone completion fish > ~/.config/fish/completions/vmclone.fish"})
final class CompletionCommand implements Runnable {
    enum Shell { bash, zsh, fish }

    /** Commands whose first argument is a clone, and those whose first argument is a VirtualMachine. */
    static final List<String> TAKE_A_CLONE = List.of("status", "audit");
    static final List<String> TAKE_A_VM = List.of("clone", "request");

    @CommandLine.Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash", description = "bash, zsh or fish.")
    Shell shell;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        String script = shell == Shell.fish ? fish(root.getCommandSpec()) : AutoComplete.bash("vmclone", root) + bashNames();
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
    }

    /** Wraps picocli's completion function: the first argument of some commands completes from the cluster. */
    static String bashNames() {
        return """

                # Names from the cluster (added by vmclone to picocli's script): clones for %s, VirtualMachines
                # for %s. -n/--namespace on the line so far is passed on.
                function _vmclone_cluster_names() {
                  local ns=() i
                  for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
                    if [[ ${COMP_WORDS[i]} == "-n" || ${COMP_WORDS[i]} == "--namespace" ]]; then ns=(-n "${COMP_WORDS[i+1]}"); fi
                  done
                  case "$1" in
                    clone) vmclone list -o name "${ns[@]}" 2>/dev/null | sed 's|.*/||' ;;
                    vm) command -v kubectl >/dev/null && kubectl get virtualmachines.kubevirt.io -o name "${ns[@]}" 2>/dev/null | sed 's|.*/||' ;;
                  esac
                }

                # True when the word being typed is the command's first argument (options and their values skipped).
                function _vmclone_first_argument() {
                  local i positionals=0
                  [[ "${COMP_WORDS[COMP_CWORD]}" == -* ]] && return 1
                  for ((i = 2; i < COMP_CWORD; i++)); do
                    case "${COMP_WORDS[i]}" in
                      -n|--namespace|--kubeconfig|--context|--api-group|-o|--output|--bootstrap-servers|--events-topic|--since) ((i++)) ;;
                      -*) ;;
                      *) ((positionals++)) ;;
                    esac
                  done
                  [[ ${COMP_CWORD} -ge 2 && ${positionals} -eq 0 ]]
                }

                function _vmclone_complete_with_names() {
                  local curr_word=${COMP_WORDS[COMP_CWORD]}
                  if _vmclone_first_argument; then
                    case "${COMP_WORDS[1]}" in
                      %s) COMPREPLY=( $(compgen -W "$(_vmclone_cluster_names clone)" -- "${curr_word}") ); return ;;
                      %s) COMPREPLY=( $(compgen -W "$(_vmclone_cluster_names vm)" -- "${curr_word}") ); return ;;
                    esac
                  fi
                  _complete_vmclone "$@"
                }

                complete -F _vmclone_complete_with_names -o default vmclone
                """.formatted(String.join(", ", TAKE_A_CLONE), String.join(", ", TAKE_A_VM), String.join("|", TAKE_A_CLONE),
                String.join("|", TAKE_A_VM));
    }

    /** A fish script from the command model: every subcommand and option, with descriptions and value choices. */
    static String fish(CommandSpec root) {
        List<String> lines = new ArrayList<>();
        lines.add("# vmclone completions for fish: vmclone completion fish > ~/.config/fish/completions/vmclone.fish");
        lines.add("complete -c vmclone -f");
        root.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().name().equals(name)) {
                return; // an alias: completed under its command's name
            }
            lines.add("complete -c vmclone -n __fish_use_subcommand -a " + name + " -d " + quote(description(sub.getCommandSpec())));
            String seen = "'__fish_seen_subcommand_from " + name + "'";
            sub.getSubcommands().forEach((inner, innerCl) -> lines.add("complete -c vmclone -n " + seen + " -a " + inner + " -d "
                    + quote(description(innerCl.getCommandSpec()))));
            options(sub.getCommandSpec(), seen, lines);
            sub.getSubcommands().values().forEach(innerCl -> options(innerCl.getCommandSpec(),
                    "'__fish_seen_subcommand_from " + innerCl.getCommandSpec().name() + "'", lines));
        });
        lines.add("complete -c vmclone -n '__fish_seen_subcommand_from " + String.join(" ", TAKE_A_CLONE)
                + "' -a '(vmclone list -o name 2>/dev/null | string replace -r \".*/\" \"\")'");
        lines.add("complete -c vmclone -n '__fish_seen_subcommand_from " + String.join(" ", TAKE_A_VM)
                + "' -a '(kubectl get virtualmachines.kubevirt.io -o name 2>/dev/null | string replace -r \".*/\" \"\")'");
        return String.join("\n", lines) + "\n";
    }

    private static void options(CommandSpec command, String condition, List<String> lines) {
        for (OptionSpec o : command.options()) {
            StringBuilder line = new StringBuilder("complete -c vmclone -n " + condition);
            for (String name : o.names()) {
                line.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
            }
            if (o.arity().max() > 0) {
                line.append(" -r");
                List<String> choices = new ArrayList<>();
                if (o.completionCandidates() != null) {
                    o.completionCandidates().forEach(choices::add);
                }
                if (!choices.isEmpty()) {
                    line.append(" -a ").append(quote(String.join(" ", choices)));
                } else if (o.type() == Path.class || o.type() == File.class) {
                    line.append(" -F");
                }
            }
            String help = String.join(" ", o.description()).replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()));
            line.append(" -d ").append(quote(help));
            lines.add(line.toString());
        }
    }

    private static String description(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : d[0];
    }

    /** Fish single quotes: only {@code \\} and {@code '} are escaped. */
    static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ") + "'";
    }
}
