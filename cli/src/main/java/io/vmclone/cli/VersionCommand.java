package io.vmclone.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vmclone version}: as {@code kubectl version --client}, the CLI's version and the Java it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the vmclone version.")
final class VersionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println(new Vmclone.Version().getVersion()[0]);
        out.println("Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")");
        out.flush();
        return Vmclone.OK;
    }
}
