package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completion scripts, run in bash as a shell would run them: subcommands and options from the model, clone
 * names from {@code vmclone list -o name} (a stand-in {@code vmclone} on the PATH answers it and notes its arguments).
 */
class CompletionTest {
    @TempDir
    Path dir;

    /** What bash completes for {@code words} (the last one being typed), with the script sourced. */
    private String complete(String... words) throws Exception {
        Path script = Files.writeString(dir.resolve("vmclone.bash"), Cli.run("completion").out());
        Path stub = Files.writeString(dir.resolve("vmclone"), """
                #!/usr/bin/env bash
                echo "$@" >> "%s/calls"
                echo virtualmachineclone.vmclone.io/a-clone
                echo virtualmachineclone.vmclone.io/another
                """.formatted(dir));
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        String array = String.join(" ", Arrays.stream(words).map(w -> "'" + w + "'").toList());
        String program = "source " + script + "; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; _vmclone_complete_with_names 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true);
        pb.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void bashCompletesCloneNamesFromTheClusterInTheNamespaceTyped() throws Exception {
        assertThat(complete("vmclone", "status", "a").lines()).containsExactly("a-clone", "another");
        assertThat(Files.readAllLines(dir.resolve("calls"))).containsExactly("list -o name");
        assertThat(complete("vmclone", "audit", "-n", "team-a", "an").lines()).containsExactly("another");
        assertThat(Files.readAllLines(dir.resolve("calls"))).last().isEqualTo("list -o name -n team-a");
        assertThat(complete("vmclone", "status", "a-clone", "an").lines()).as("only the first argument is a clone")
                .doesNotContain("another");
    }

    @Test
    void bashStillCompletesSubcommandsAndOptions() throws Exception {
        assertThat(complete("vmclone", "li").lines()).contains("list");
        assertThat(complete("vmclone", "list", "--all").lines()).contains("--all-namespaces");
    }

    @Test
    void zshUsesTheBashScriptThroughBashcompinit() {
        Cli.Result zsh = Cli.run("completion", "zsh");
        assertThat(zsh.exit()).isZero();
        assertThat(zsh.out()).isEqualTo(Cli.run("completion").out()).contains("bashcompinit");
    }

    @Test
    void fishCompletesSubcommandsOptionsChoicesAndNames() {
        Cli.Result fish = Cli.run("completion", "fish");
        assertThat(fish.exit()).isZero();
        assertThat(fish.out()).contains("complete -c vmclone -n __fish_use_subcommand -a list -d 'List clones")
                .contains("complete -c vmclone -n '__fish_seen_subcommand_from list' -s A -l all-namespaces")
                .contains("-s o -l output -r -a 'yaml json name wide'")
                .contains("complete -c vmclone -n '__fish_seen_subcommand_from create' -a clone")
                .contains("complete -c vmclone -n '__fish_seen_subcommand_from status audit' -a '(vmclone list -o name");
        assertThat(Cli.run("completion", "tcsh").err()).contains("bash, zsh, fish");
    }
}
