package io.vmclone.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.cli.kube.CloneStatusPoller;
import io.vmclone.cli.kube.CloneStatusPoller.Observation;
import io.vmclone.cli.render.LiveLine;
import io.vmclone.cli.render.ProgressView;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmclone clone SOURCE}: creates a VirtualMachineClone in the current kube context and, with
 * {@code --wait}, follows it to the end (kubevirt/kubevirt#17274's imperative clone).
 */
@Command(name = "clone", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Clone a VM now: create a VirtualMachineClone in the cluster (and --wait for it).",
                "Exit code with --wait: 0 Succeeded, 1 Failed/Cancelled/timed out (with the reason), 2 bad input."})
final class CloneCommand implements Callable<Integer> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The source VM (or snapshot, with --source-type snapshot).")
    String source;

    @Option(names = "--target", paramLabel = "NAME", description = "Name of the new VM (default: clone-<source>-<hash>);"
            + " with --replicas, the pattern naming the VMs, with {index} or {index:0N} once (default: <name>-{index}).")
    String target;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the VirtualMachineClone (default: clone-<5 random>);"
            + " with --replicas, of the VirtualMachineCloneSet (default: cloneset-<5 random>).")
    String name;

    @Option(names = "--replicas", paramLabel = "N", description = "Make N clones through one VirtualMachineCloneSet (vmclone extension).")
    Integer replicas;

    @Option(names = "--wait", description = "Follow the clone until it ends; show phase, overall and per-volume progress.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long --wait waits, e.g. 90s, 10m, 1h. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Mixin
    SpecFlags flags;

    @Mixin
    KubeOptions kube;

    @Mixin
    GroupOption groupOption;

    /** -o yaml|json|name prints the clone as the API server created it, instead of the "created" line. */
    @Mixin
    ResourceOutput output;

    @Override
    public Integer call() throws InterruptedException {
        if (replicas != null) {
            return cloneSet();
        }
        CloneSpec cloneSpec = flags.toSpec(source, target);
        String group = groupOption.group();
        String cloneName = name == null || name.isEmpty() ? Names.randomCloneName() : name;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (KubernetesClient client = kube.client()) {
            String ns = kube.namespace(client);
            GenericKubernetesResource resource = VirtualMachineClones.newResource(group, ns, cloneName, cloneSpec, null);
            try {
                // Through the clone type, not discovery: a type that is not served is a 404 to explain, not fabric8's
                // "no registered handler".
                resource = client.genericKubernetesResources(KubeResources.clones(group)).inNamespace(ns).resource(resource).create();
            } catch (KubernetesClientException e) {
                RuntimeException explained = ClusterErrors.explain(client, group, e);
                err.println("error: could not create VirtualMachineClone " + ns + "/" + cloneName + ": "
                        + (explained == e ? reason(e) : explained.getMessage()));
                err.flush();
                return e.getCode() == 409 || e.getCode() == 422 ? Vmclone.USAGE : Vmclone.FAILED;
            }
            if (output.readable()) {
                out.println("virtualmachineclone " + ns + "/" + cloneName + " created (" + source + " -> "
                        + (target == null ? "generated name" : target) + ")");
            } else {
                out.print(output.one(resource));
            }
            out.flush();
            if (!await) {
                return Vmclone.OK;
            }
            // A live line only when stdout is the user's terminal (System.console() is null when piped).
            LiveLine live = new LiveLine(out, System.console() != null);
            Thread interrupted = new Thread(() -> {
                out.println();
                out.flush();
                err.println(interruptedNotice(ns, cloneName));
                err.flush();
            }, "vmclone-wait-interrupted");
            Runtime.getRuntime().addShutdownHook(interrupted); // Ctrl-C: say what happens to the clone
            Observation last;
            try {
                last = new CloneStatusPoller(client, group, ns).await(cloneName, timeout, o -> live.update(
                        o.gone() || o.status() == null ? "-" : String.valueOf(o.status().phase()),
                        LocalTime.now().format(CLOCK) + "  " + (o.gone() ? "clone was deleted" : ProgressView.line(o.status()))))
                        .get(cloneName);
            } finally {
                removeHook(interrupted);
            }
            live.finish();
            return verdict(last, cloneName, out, err);
        }
    }

    private int cloneSet() throws InterruptedException {
        String setName = name == null || name.isEmpty() ? "cloneset-" + Names.randomCloneName().substring("clone-".length()) : name;
        var set = CloneSetSpecs.of(flags, source, replicas, target, "--target", setName);
        try (KubernetesClient client = kube.client()) {
            String ns = kube.namespace(client);
            CloneSetRun run = new CloneSetRun(client, spec.commandLine().getOut(), spec.commandLine().getErr());
            Integer failed = run.create(ns, setName, set);
            if (failed != null) {
                return failed;
            }
            return await ? run.await(ns, setName, timeout) : Vmclone.OK;
        }
    }

    /** What Ctrl-C on {@code --wait} stops: only the waiting. */
    static String interruptedNotice(String ns, String cloneName) {
        return "interrupted: clone " + ns + "/" + cloneName + " keeps running in the cluster; follow it with"
                + " vmclone status " + cloneName + " -n " + ns + ", cancel it with kubectl delete virtualmachineclone "
                + cloneName + " -n " + ns;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is stopping: the hook runs
        }
    }

    private int verdict(Observation last, String cloneName, PrintWriter out, PrintWriter err) {
        CloneStatus status = last == null ? null : last.status();
        ClonePhase phase = status == null ? null : status.phaseOrNull();
        int code;
        if (last != null && last.gone()) {
            err.println("error: clone " + cloneName + " was deleted before it finished");
            code = Vmclone.FAILED;
        } else if (phase == ClonePhase.Succeeded) {
            out.println("clone " + cloneName + " succeeded: VirtualMachine " + status.targetName() + " is ready (halted)");
            code = Vmclone.OK;
        } else if (phase != null && phase.terminal()) {
            err.println("error: clone " + cloneName + " " + phase + ": " + ProgressView.outcome(status));
            code = Vmclone.FAILED;
        } else {
            err.println("error: clone " + cloneName + " did not finish within " + DurationConverter.format(timeout)
                    + " (last phase: " + (phase == null ? "none" : phase) + "); it keeps running in the cluster");
            code = Vmclone.FAILED;
        }
        out.flush();
        err.flush();
        return code;
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return Vmclone.describe(e);
    }
}
