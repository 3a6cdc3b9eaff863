package io.vmclone.cli.sandbox;

import io.vmclone.cli.Vmclone;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmclone sandbox}: the whole pipeline on one machine with nothing installed but Java — a real
 * Kafka broker, an in-memory Kubernetes API with sample VMs, SIMULATED storage, the four services —
 * then scripted clones with live status, checked outcomes and the audit timeline. Exit 0 only if every
 * expected outcome happened.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole pipeline in this JVM (real Kafka, in-memory Kubernetes API, SIMULATED storage)",
                "and a scripted set of clones; exit 0 only if every expected outcome happened.",
                "--keep-running leaves it up for your own clones (vmclone, kubectl, kcat, curl)."})
public final class SandboxCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--keep-running", description = "After the script, keep everything up until Ctrl-C and print how to use it.")
    boolean keepRunning;

    @Option(names = "--storage-seconds", paramLabel = "SECONDS", defaultValue = "6",
            description = "How long the simulated storage takes to copy one DataVolume. Default: ${DEFAULT-VALUE}.")
    double storageSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long the scripted clones may take in total. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka instead of starting one in the JVM (topics get a unique suffix).")
    String bootstrapServers;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default", description = "Namespace for the sample VMs. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "sandbox-work",
            description = "Where --keep-running writes the kubeconfig and env file. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--api", paramLabel = "mock|real", defaultValue = "mock", converter = ApiConverter.class,
            description = {"Kubernetes API: mock (in memory, nothing to install) or real (kube-apiserver + etcd built from",
                    "the Go module proxy on first use, minutes once; needs Go). Default: ${DEFAULT-VALUE}."})
    SandboxCluster.Api api;

    @Option(names = "--script", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the scripted clones (--no-script with --keep-running just starts everything).")
    boolean script;

    @Override
    public Integer call() throws Exception {
        if (storageSeconds < 0 || timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--storage-seconds must be >= 0 and --timeout >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        out.println("vmclone sandbox: the whole pipeline in this JVM. Storage is SIMULATED: DataVolumes go through");
        out.println("CDI's clone phases (a smart clone: progress N/A until done, as CDI reports it), but no disk is copied.");
        out.println();
        out.flush();
        CountDownLatch cleanedUp = new CountDownLatch(1);
        try (SandboxEnvironment env = SandboxEnvironment.start(bootstrapServers, namespace, api, dir.toAbsolutePath(),
                Duration.ofMillis(Math.round(storageSeconds * 1000)), out)) {
            List<String> failures = List.of();
            if (script) {
                failures = new SandboxRun(env, namespace, out, t0).run(SandboxScript.scenarios(), Duration.ofSeconds(timeoutSeconds));
                out.println();
                if (failures.isEmpty()) {
                    out.printf("Result: every expected outcome happened (%d clones, %.1fs). Exit 0.%n",
                            SandboxScript.scenarios().size(), (System.nanoTime() - t0) / 1e9);
                } else {
                    out.println("Result: " + failures.size() + " expected outcome(s) did NOT happen:");
                    failures.forEach(f -> out.println("  - " + f));
                }
                out.flush();
            }
            if (keepRunning) {
                printHowTo(env, out);
                awaitShutdown(cleanedUp);
            }
            return failures.isEmpty() ? Vmclone.OK : Vmclone.FAILED;
        } finally {
            cleanedUp.countDown();
        }
    }

    private void printHowTo(SandboxEnvironment env, PrintWriter out) throws IOException {
        Files.createDirectories(dir);
        Path kubeconfig = env.cluster().writeKubeconfig(dir.resolve("kubeconfig").toAbsolutePath());
        var settings = env.settings("sandbox");
        StringBuilder envFile = new StringBuilder();
        envFile.append("export KUBECONFIG=").append(kubeconfig).append('\n');
        env.cluster().real().ifPresent(real -> envFile.append("export PATH=")
                .append(real.server().binaries().dir()).append(":$PATH     # the kubectl matching the API server\n"));
        envFile.append("export KAFKA_BOOTSTRAP_SERVERS=").append(env.bootstrapServers()).append('\n');
        envFile.append("export VMCLONE_TOPIC_EVENTS=").append(settings.topics().events()).append('\n');
        envFile.append("export VMCLONE_TOPIC_INTAKE=").append(settings.topics().intake()).append('\n');
        if (env.bridgeUrl() != null) {
            envFile.append("export VMCLONE_BRIDGE_URL=").append(env.bridgeUrl()).append('\n');
            envFile.append("export VMCLONE_TOKEN=").append(env.token()).append('\n');
        }
        Path envPath = dir.resolve("env.sh").toAbsolutePath();
        Files.writeString(envPath, envFile.toString());
        out.println();
        out.println("The sandbox keeps running. In another terminal:");
        out.println();
        out.println("  source " + envPath + "     # KUBECONFIG, KAFKA_BOOTSTRAP_SERVERS, topic names");
        out.println();
        out.println("  bin/vmclone list");
        out.println("  bin/vmclone clone fedora --target fedora-3 --new-mac-address default:02:00:00:00:00:03 --wait");
        out.println("  bin/vmclone status fedora-clone");
        out.println("  bin/vmclone audit fedora-clone");
        out.println("  bin/vmclone create clone --source-name database --target-name db-2 --label-filter 'app*' | kubectl create --validate=false -f -");
        if (env.cluster().real().isPresent()) {
            out.println("  kubectl get vmcl                                  # a real kube-apiserver: printer columns, short names");
            out.println("  kubectl wait --for=condition=Ready vmcl/fedora-clone");
            out.println("  kubectl describe vmcl fedora-clone                # the clone's Events");
            out.println("  kubectl get virtualmachines,datavolumes");
            out.println("  kubectl create token " + SandboxUser.NAME + " -n " + namespace + " --audience vmclone   # a token the HTTP door accepts");
        } else {
            out.println("  kubectl get virtualmachineclones.vmclone.io,virtualmachines,datavolumes     # kubectl talks to the in-memory API");
        }
        out.println("  bin/vmclone request cirros --target cirros-2        # an external request, Kafka intake (binary CloudEvent)");
        out.println("  kcat -b $KAFKA_BOOTSTRAP_SERVERS -t $VMCLONE_TOPIC_EVENTS -C -f '%k %h\\n%s\\n\\n'     # the raw event log");
        out.println("  bin/vmclone request cirros --target cirros-3 --dry-run    # the CloudEvent an external system sends");
        String url = env.bridgeUrl();
        if (url != null) {
            out.println("  bin/vmclone request cirros --target cirros-4 --http " + url + " --token " + env.token() + "   # HTTP intake");
            out.println("  bin/vmclone request cirros --target cirros-5 --dry-run | curl -i -H 'Authorization: Bearer " + env.token()
                    + "' -H 'Content-Type: application/cloudevents+json' --data-binary @- " + url);
        }
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** {@code mock} or {@code real}, case-insensitive, with a plain error otherwise. */
    static final class ApiConverter implements CommandLine.ITypeConverter<SandboxCluster.Api> {
        @Override
        public SandboxCluster.Api convert(String value) {
            try {
                return SandboxCluster.Api.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an API: use mock or real");
            }
        }
    }

    /**
     * Until Ctrl-C. The hook then waits (at most 30 s) for the services, broker and API server to stop and
     * their files to go: the JVM would otherwise exit halfway through.
     */
    private static void awaitShutdown(CountDownLatch cleanedUp) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                cleanedUp.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sandbox-stop"));
        stop.await();
    }
}
