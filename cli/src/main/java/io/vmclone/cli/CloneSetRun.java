package io.vmclone.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.sets.CloneSetSpec;
import io.vmclone.schemas.sets.CloneSetStatus;
import io.vmclone.schemas.sets.CloneSets;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code vmclone clone SOURCE --replicas N}: creates a VirtualMachineCloneSet and, with {@code --wait}, follows its
 * status until every replica succeeded, every replica ended with some failed, or the timeout.
 */
final class CloneSetRun {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Duration POLL = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final PrintWriter out;
    private final PrintWriter err;

    CloneSetRun(KubernetesClient client, PrintWriter out, PrintWriter err) {
        this.client = client;
        this.out = out;
        this.err = err;
    }

    /** Creates the set; the exit code when that fails, else null. */
    Integer create(String ns, String name, CloneSetSpec set) {
        try {
            client.genericKubernetesResources(KubeResources.CLONE_SET).inNamespace(ns).resource(CloneSets.newResource(ns, name, set)).create();
        } catch (KubernetesClientException e) {
            RuntimeException explained = ClusterErrors.explain(client, KubeResources.CLONE_SET.getGroup(), e);
            err.println("error: could not create VirtualMachineCloneSet " + ns + "/" + name + ": "
                    + (explained == e ? Vmclone.describe(e) : explained.getMessage()));
            err.flush();
            return e.getCode() == 409 || e.getCode() == 422 ? Vmclone.USAGE : Vmclone.FAILED;
        }
        out.println("virtualmachinecloneset " + ns + "/" + name + " created (" + set.replicaCount() + " clones of "
                + set.template().source().name() + ", targets " + set.patternFor(name) + ")");
        out.flush();
        return null;
    }

    int await(String ns, String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = null;
        CloneSetStatus status = null;
        while (System.nanoTime() < deadline) {
            GenericKubernetesResource set = client.genericKubernetesResources(KubeResources.CLONE_SET).inNamespace(ns).withName(name).get();
            if (set == null) {
                err.println("error: clone set " + name + " was deleted before it finished");
                err.flush();
                return Vmclone.FAILED;
            }
            status = CloneSets.status(set);
            String line = summary(status);
            if (!Objects.equals(line, shown)) {
                out.println(LocalTime.now().format(CLOCK) + "  " + line);
                out.flush();
                shown = line;
            }
            Integer verdict = verdict(name, status);
            if (verdict != null) {
                return verdict;
            }
            Thread.sleep(POLL.toMillis()); // polling the API server at a fixed pace, not waiting for a thread
        }
        err.println("error: clone set " + name + " did not finish within " + DurationConverter.format(timeout) + " (" + summary(status)
                + "); its clones keep running in the cluster");
        err.flush();
        return Vmclone.FAILED;
    }

    private Integer verdict(String name, CloneSetStatus s) {
        var ready = s == null ? null : s.condition(CloneSetStatus.READY);
        if (ready == null) {
            return null;
        }
        if ("True".equals(ready.status())) {
            out.println("clone set " + name + " succeeded: " + s.succeeded() + " VirtualMachines ready (halted)");
            out.flush();
            return Vmclone.OK;
        }
        boolean allEnded = s.replicas() != null && s.succeeded() != null && s.failed() != null && s.succeeded() + s.failed() >= s.replicas();
        if (CloneSetStatus.INVALID_SPEC.equals(ready.reason()) || (CloneSetStatus.CLONES_FAILED.equals(ready.reason()) && allEnded)) {
            err.println("error: clone set " + name + ": " + ready.message());
            if (s.failures() != null) {
                s.failures().forEach(f -> err.println("  " + f.name() + " " + f.phase() + (f.reason() == null ? "" : " " + f.reason())
                        + (f.message() == null ? "" : ": " + f.message())));
            }
            err.flush();
            return Vmclone.FAILED;
        }
        return null;
    }

    static String summary(CloneSetStatus s) {
        if (s == null) {
            return "waiting for the bridge to take the set in";
        }
        String phases = s.phases() == null || s.phases().isEmpty() ? "no clone yet"
                : s.phases().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return s.succeeded() + "/" + s.replicas() + " succeeded, " + s.failed() + " failed (" + phases + ")";
    }
}
