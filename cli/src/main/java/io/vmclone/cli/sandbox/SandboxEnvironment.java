package io.vmclone.cli.sandbox;

import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.Topics;
import io.vmclone.testsupport.LoopbackKafkaBroker;
import io.vmclone.testsupport.Folders;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.StorageSimulator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the sandbox runs, in this JVM: a Kafka KRaft broker (or an existing one), an in-memory
 * Kubernetes API seeded with sample VMs, SIMULATED storage standing in for CDI, and the four services.
 */
public final class SandboxEnvironment implements AutoCloseable {
    /** The sample VMs (test-support resources) and what they are. */
    public static final Map<String, String> SAMPLES = Map.of(
            "/samples/fedora.yaml", "fedora (DataVolume root disk, containerDisk, cloud-init, 1 NIC)",
            "/samples/cirros.yaml", "cirros (containerDisk only)",
            "/samples/database.yaml", "database (3 PVC disks, 2 NICs, firmware serial)");
    static final List<String> SAMPLE_ORDER = List.of("/samples/fedora.yaml", "/samples/cirros.yaml", "/samples/database.yaml");

    private final KafkaBroker ownBroker;
    private final String bootstrapServers;
    private final SandboxCluster cluster;
    private final StorageSimulator storage;
    private final LocalPipeline pipeline;
    private final Map<String, String> env;

    private SandboxEnvironment(KafkaBroker ownBroker, String bootstrapServers, SandboxCluster cluster, StorageSimulator storage,
                               LocalPipeline pipeline, Map<String, String> env) {
        this.ownBroker = ownBroker;
        this.bootstrapServers = bootstrapServers;
        this.cluster = cluster;
        this.storage = storage;
        this.pipeline = pipeline;
        this.env = env;
    }

    /**
     * @param externalBootstrap an existing broker to use (topics then get a unique suffix so runs do not
     *                          mix); null starts a KRaft broker in this JVM
     * @param api               which Kubernetes API: in-memory, or a real kube-apiserver + etcd
     * @param workDir           the sandbox's folder (--dir): the broker's data and the real API server's files go
     *                          under it, and whatever a killed earlier run left there is removed first
     * @param storageDuration   how long the simulated storage takes to copy one DataVolume
     * @param log               where to report each step and how long it took
     */
    public static SandboxEnvironment start(String externalBootstrap, String namespace, SandboxCluster.Api api, Path workDir,
                                           Duration storageDuration, PrintWriter log) {
        long t0 = System.nanoTime();
        KafkaBroker broker = null;
        SandboxCluster cluster = null;
        StorageSimulator storage = null;
        LocalPipeline pipeline = null;
        try {
            String bootstrap;
            String suffix = "";
            Folders.delete(workDir.resolve("kafka")); // an earlier run killed before it could clean up
            Folders.delete(workDir.resolve("kube-api"));
            if (externalBootstrap == null) {
                broker = LoopbackKafkaBroker.start(workDir.resolve("kafka"));
                bootstrap = broker.bootstrapServers();
                step(log, "Kafka", "KRaft broker in this JVM at " + bootstrap, t0);
            } else {
                bootstrap = externalBootstrap;
                suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
                step(log, "Kafka", "existing broker at " + bootstrap + " (topics suffixed " + suffix + ")", t0);
            }
            Map<String, String> env = new HashMap<>();
            env.put(StageSettings.ENV_BOOTSTRAP, bootstrap);
            env.put(StageSettings.ENV_GROUP_PREFIX, "sandbox" + suffix);
            env.put(Topics.ENV_EVENTS, Topics.DEFAULT_EVENTS + suffix);
            env.put(Topics.ENV_INTAKE, Topics.DEFAULT_INTAKE + suffix);
            env.put(Topics.ENV_DLQ, Topics.DEFAULT_DLQ + suffix);
            env.put(Topics.ENV_PARTITIONS, "3");
            env.put(BridgeSettings.ENV_HTTP_PORT, "0"); // any free port: never clash with a real bridge on 8090
            env.put(BridgeSettings.ENV_HTTP_HOST, "127.0.0.1"); // a sandbox answers this machine only
            // Plain HTTP, asked for by name: loopback only, so no token crosses a network (a bridge's default is TLS).
            env.put(BridgeSettings.ENV_PLAIN_HTTP, "true");
            // `vmclone request` without --requester, as the printed hints show: the CLI's default source acts on its own authority.
            env.put(BridgeSettings.ENV_INTAKE_TRUSTED_SOURCES, io.vmclone.cli.RequestCommand.DEFAULT_EVENT_SOURCE);

            cluster = SandboxCluster.start(api, workDir.resolve("kube-api"), namespace);
            step(log, "Kubernetes API", cluster.description() + ", samples in namespace " + namespace + ":", t0);
            for (String sample : SAMPLE_ORDER) {
                log.println("                     - " + SAMPLES.get(sample));
            }
            storage = new StorageSimulator(cluster.kube().newClient(), storageDuration, stepsFor(storageDuration)).start();
            step(log, "Storage", "SIMULATED (stands in for CDI): each DataVolume 'copies' in "
                    + String.format(Locale.ROOT, "%.1fs", storageDuration.toMillis() / 1000.0) + ", no data is moved", t0);
            pipeline = LocalPipeline.start(env, cluster.kube()::serviceClient, -1);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!pipeline.ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the services did not get their Kafka partitions within 90 s");
                }
                Thread.sleep(100);
            }
            step(log, "Pipeline", String.join(" -> ", LocalPipeline.stages().keySet()) + " running"
                    + (api == SandboxCluster.Api.REAL ? ", each as its own ServiceAccount (deploy/ RBAC)" : ""), t0);
            return new SandboxEnvironment(broker, bootstrap, cluster, storage, pipeline, Map.copyOf(env));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(broker, cluster, storage, pipeline);
            throw new IllegalStateException("interrupted while starting the sandbox", e);
        } catch (RuntimeException e) {
            closeAll(broker, cluster, storage, pipeline);
            throw e;
        }
    }

    /** The bridge's CloudEvents HTTP endpoint, e.g. {@code http://localhost:41234/v1/clone-requests}, or null. */
    public String bridgeUrl() {
        return pipeline.services().stream().map(StageService::handler).filter(h -> h instanceof BridgeHandler)
                .map(h -> ((BridgeHandler) h).httpPort()).filter(p -> p > 0).findFirst()
                .map(p -> "http://127.0.0.1:" + p + HttpIntakeServer.PATH).orElse(null);
    }

    private static int stepsFor(Duration d) {
        return (int) Math.max(1, Math.min(10, d.toMillis() / 500)); // about one progress update every half second
    }

    private static void step(PrintWriter log, String what, String detail, long t0) {
        log.printf(Locale.ROOT, "  %-17s  %s  (%.1fs)%n", what, detail, (System.nanoTime() - t0) / 1e9);
        log.flush();
    }

    /** The bearer token the sandbox's bridge accepts on HTTP. */
    public String token() {
        return cluster.userToken();
    }

    public SandboxCluster cluster() {
        return cluster;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The services' settings (topics, group prefix); what {@code vmclone audit} needs to read the log. */
    public Map<String, String> env() {
        return env;
    }

    public StageSettings settings(String client) {
        return StageSettings.from(client, env);
    }

    @Override
    public void close() {
        closeAll(ownBroker, cluster, storage, pipeline);
    }

    private static void closeAll(KafkaBroker broker, SandboxCluster cluster, StorageSimulator storage, LocalPipeline pipeline) {
        // Reverse start order: services stop consuming before their broker and API go away.
        if (pipeline != null) {
            pipeline.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
