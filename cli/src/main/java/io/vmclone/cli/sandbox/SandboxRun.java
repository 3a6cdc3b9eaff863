package io.vmclone.cli.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.kube.CloneStatusPoller;
import io.vmclone.cli.kube.CloneStatusPoller.Observation;
import io.vmclone.cli.render.AuditTimeline;
import io.vmclone.cli.render.ProgressView;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.EventLogReader.LoggedEvent;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the scripted clones against a started {@link SandboxEnvironment}: creates them, prints every status
 * change as it happens, checks every expectation, prints the audit timeline from the event log, and
 * answers how many expectations failed.
 */
public final class SandboxRun {
    private final SandboxEnvironment env;
    private final String namespace;
    private final PrintWriter out;
    private final long t0;

    public SandboxRun(SandboxEnvironment env, String namespace, PrintWriter out, long startNanos) {
        this.env = env;
        this.namespace = namespace;
        this.out = out;
        this.t0 = startNanos;
    }

    /** @return the failed expectations, empty when everything happened as scripted */
    public List<String> run(List<Scenario> scenarios, Duration timeout) throws InterruptedException {
        KubernetesClient kube = env.cluster().kube().client();
        String group = env.cluster().kube().cloneGroup();
        out.println();
        out.println("Scripted clones (VirtualMachineClone objects, " + KubeResources.cloneApiVersion(group) + "):");
        int width = scenarios.stream().mapToInt(s -> s.cloneName().length()).max().orElse(10);
        Map<String, String> uids = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", s.cloneName(), s.description());
        }
        out.println();
        for (Scenario s : scenarios) {
            GenericKubernetesResource created = kube.resource(
                    VirtualMachineClones.newResource(group, namespace, s.cloneName(), s.spec(), null)).create();
            uids.put(s.cloneName(), created.getMetadata().getUid());
        }
        out.printf(Locale.ROOT, "%s  created %d clones; following their status (one line per change):%n", clock(), scenarios.size());
        out.flush();
        Map<String, Observation> last = new CloneStatusPoller(kube, group, namespace).await(uids.keySet(), timeout, o -> {
            out.printf(Locale.ROOT, "%s  %-" + width + "s  %s%n", clock(), o.name(),
                    o.gone() ? "deleted" : ProgressView.line(o.status()));
            out.flush();
        });

        List<String> failures = new ArrayList<>();
        out.println();
        out.println("Expected outcomes:");
        for (Scenario s : scenarios) {
            Observation o = last.get(s.cloneName());
            if (o == null || !o.terminal()) {
                String problem = s.cloneName() + ": did not finish within " + timeout.toSeconds() + " s";
                failures.add(problem);
                out.println("  [FAIL] " + problem);
                continue;
            }
            Scenario.Context ctx = new Scenario.Context(kube, namespace, uids.get(s.cloneName()), o);
            for (Scenario.Check check : s.checks()) {
                String problem = check.verify(ctx);
                if (problem == null) {
                    out.println("  [ ok ] " + s.cloneName() + ": " + check.expectation());
                } else {
                    failures.add(s.cloneName() + ": " + check.expectation() + " -- " + problem);
                    out.println("  [FAIL] " + s.cloneName() + ": " + check.expectation() + " -- " + problem);
                }
            }
        }
        out.flush();
        printAudit(scenarios, failures);
        return failures;
    }

    private void printAudit(List<Scenario> scenarios, List<String> failures) {
        EventLogReader reader = new EventLogReader(env.settings("sandbox-audit"));
        out.println();
        out.println("Audit timeline (read back from Kafka topic " + env.settings("sandbox-audit").topics().events()
                + "; `vmclone audit NAME` prints the same):");
        for (Scenario s : scenarios) {
            List<LoggedEvent> events = reader.readClone(namespace + "/" + s.cloneName());
            out.println();
            out.println("  " + s.cloneName());
            if (events.isEmpty()) {
                failures.add(s.cloneName() + ": no events in the log");
                out.println("    [FAIL] no events in the log");
                continue;
            }
            AuditTimeline.render(events, false).lines().forEach(l -> out.println("    " + l));
        }
        out.flush();
    }

    private String clock() {
        return String.format(Locale.ROOT, "%+6.1fs", (System.nanoTime() - t0) / 1e9);
    }
}
