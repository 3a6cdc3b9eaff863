package io.vmclone.cli;

import io.vmclone.cli.sandbox.SandboxCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vmclone}: the command-line entry point. Exit codes: 0 done, 1 failed/rejected, 2 usage error. */
@Command(name = "vmclone", mixinStandardHelpOptions = true, versionProvider = Vmclone.Version.class,
        description = "Clone KubeVirt VirtualMachines through the vmclone pipeline.",
        subcommands = {
                CreateCommand.class,
                CloneCommand.class,
                PlanCommand.class,
                StatusCommand.class,
                ListCommand.class,
                AuditCommand.class,
                RequestCommand.class,
                SandboxCommand.class,
                CompletionCommand.class,
                CrdCommand.class,
                VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Vmclone implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line, as {@code main} runs it (tests call {@code execute} on this). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Vmclone());
        cl.setParameterExceptionHandler(Vmclone::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException u) {
                cmd.getErr().println("error: " + u.getMessage());
                cmd.getErr().flush();
                return USAGE;
            }
            cmd.getErr().println("error: " + describe(e));
            cmd.getErr().flush();
            return FAILED;
        });
        return cl;
    }

    public static void main(String[] args) {
        // Before anything touches SLF4J: the CLI's quiet logging, not the services' JSON logs.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "vmclone-cli-logback.xml");
        }
        quietJavaUtilLogging();
        System.exit(commandLine().execute(args));
    }

    /** fabric8's mock web server logs every request through java.util.logging: warnings only. */
    private static void quietJavaUtilLogging() {
        java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("error: " + usageMessage(e));
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, cmd.getErr()); // "Did you mean: ..."
        }
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        cmd.getErr().flush();
        return USAGE;
    }

    /**
     * picocli lists every unmatched word as an unknown option, the value after an unknown option too: name only
     * the first unknown option, or the unknown command.
     */
    static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-")) {
                return "unknown option '" + first + "' for '" + e.getCommandLine().getCommandSpec().qualifiedName() + "'";
            }
            if (!e.getCommandLine().getSubcommands().isEmpty()) {
                return "unknown command '" + first + "' for '" + e.getCommandLine().getCommandSpec().qualifiedName() + "'";
            }
        }
        return e.getMessage();
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        while ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
            cause = cause.getCause();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Vmclone.class.getPackage().getImplementationVersion();
            return new String[] {"vmclone " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
