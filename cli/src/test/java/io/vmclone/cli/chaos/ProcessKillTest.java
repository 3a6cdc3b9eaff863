package io.vmclone.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import io.vmclone.testsupport.ServiceProcess;
import io.vmclone.testsupport.StorageSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The four services as separate JVMs, each killed with SIGKILL twice while clones are in flight and
 * started again (as Kubernetes restarts a pod): no shutdown hook runs, the dead consumer stays in its group
 * until its session times out, its open transaction stays open until the restarted instance fences it,
 * the status reporter loses what it had buffered, the executor what it was following. Clones come in
 * waves of ten; each kill lands when half of a wave is done, so every stage has work in flight. On the real
 * kube-apiserver, each process with its own ServiceAccount's kubeconfig.
 */
@ExtendWith({KafkaBrokerExtension.class, RealClusterExtension.class})
class ProcessKillTest {
    private static final int WAVES = 8;
    private static final int PER_WAVE = 10;

    private StorageSimulator storage;
    private final List<ServiceProcess> services = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (ServiceProcess p : services) {
            p.stop();
        }
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void everyCloneEndsOnceWithOneTargetAlthoughEveryServiceIsKilledTwice(KafkaBroker broker, RealCluster cluster) throws Exception {
        KubernetesClient kube = cluster.client();
        String ns = cluster.newNamespace("killed");
        cluster.apply("/samples/fedora.yaml", ns);
        storage = new StorageSimulator(cluster.newClient(), Duration.ofMillis(1500), 3).start();
        Path dir = Files.createDirectories(Path.of("target", "process-kill"));
        Map<String, String> env = StageSettings.isolatedEnv(broker.bootstrapServers(), "killed", 4);
        env.put(StageSettings.ENV_NAMESPACES, ns); // the test JVM's API server holds other tests' clones too
        env.put("VMCLONE_BRIDGE_LEASE_NAME", "bridge-" + ns);
        env.put(StageSettings.ENV_HTTP_PORT, "0");
        env.put("VMCLONE_BRIDGE_HTTP_PORT", "-1");
        env.put(StageSettings.ENV_MAX_BACKOFF, "200");
        // A killed member leaves no LeaveGroup behind: a short session lets its partitions move within seconds.
        env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1500");
        env.put("HOME", System.getProperty("user.home"));
        // Small, fast-starting JVMs: four of them share the test machine's two cores with the broker and the API.
        List<String> jvm = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        for (var main : LocalPipeline.mains().entrySet()) {
            // Each process authenticates as its own ServiceAccount: the shipped RBAC applies, as in a pod.
            Map<String, String> own = new java.util.HashMap<>(env);
            own.put("KUBECONFIG", cluster.writeKubeconfigAs(dir.resolve(main.getKey() + ".kubeconfig"), RealCluster.SYSTEM_NAMESPACE,
                    RealCluster.serviceAccountOf(main.getKey())).toAbsolutePath().toString());
            services.add(new ServiceProcess(main.getKey(), main.getValue().getName(), jvm, own, dir));
        }
        services.forEach(ServiceProcess::start);
        ChaosOutcome outcome = new ChaosOutcome(kube, cluster.cloneGroup(), ns, env);
        long started = System.nanoTime();

        List<String> kills = new ArrayList<>();
        for (int wave = 0; wave < WAVES; wave++) {
            for (int i = wave * PER_WAVE; i < (wave + 1) * PER_WAVE; i++) {
                kube.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), ns, String.format("k-%02d", i),
                        CloneSpec.of("fedora", "fedora-k" + i), Map.of())).create();
            }
            long halfOfThisWave = (long) wave * PER_WAVE + PER_WAVE / 2;
            awaitTerminal(outcome, halfOfThisWave, Duration.ofMinutes(2));
            ServiceProcess victim = services.get(wave % services.size());
            victim.kill();
            victim.start();
            kills.add(victim.service());
        }
        awaitTerminal(outcome, WAVES * PER_WAVE, Duration.ofMinutes(4));
        double seconds = (System.nanoTime() - started) / 1e9;

        String counted = outcome.assertEveryCloneSucceededOnce(WAVES * PER_WAVE);
        assertThat(kills).hasSize(WAVES);
        services.forEach(p -> assertThat(p.starts()).as(p.service() + " started, killed twice, restarted").isGreaterThanOrEqualTo(3));
        System.out.printf("process kills: %s, in %.1f s; SIGKILLs %s; starts %s%n", counted, seconds, kills,
                services.stream().collect(java.util.stream.Collectors.toMap(ServiceProcess::service, ServiceProcess::starts)));
    }

    /** Waits until {@code count} clones are terminal, restarting any service that exited on its own. */
    private void awaitTerminal(ChaosOutcome outcome, long count, Duration bound) {
        try {
            await().atMost(bound).pollInterval(Duration.ofMillis(300)).until(() -> {
                services.forEach(ServiceProcess::restartIfExited);
                return outcome.terminalCount() >= count;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            outcome.printStuck();
            throw new AssertionError("waiting for " + count + " terminal clones; phases: " + outcome.phases(WAVES * PER_WAVE)
                    + " (service logs in target/process-kill)", e);
        }
    }
}
