package io.vmclone.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.StorageSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault injection over the whole pipeline: 100 clones while every service is killed at random points
 * (before handling a record, after its side effects but before the commit, while following DataVolumes)
 * and restarted, the bridge is restarted with unsent events in memory, the Kafka broker is restarted once
 * mid-run (second test), and the API server answers some writes with 500 and 409 and some requests late. At the end every clone must be terminal, with exactly one target VM per
 * success, no orphan DataVolume and no duplicate transition in any clone's history.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FaultInjectionTest {
    private static final String NS = "chaos";
    private static final int CLONES = 100;
    /** Longer than the mock server's worst stall when a restarted service's watches close (see MockCluster). */
    private static final Duration PATIENCE = Duration.ofSeconds(75);

    private MockCluster cluster;
    private StorageSimulator storage;
    private final Map<String, StageService> services = new LinkedHashMap<>();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private final Map<String, Integer> restarts = new HashMap<>();
    private Map<String, String> env;
    private Chaos chaos;

    @AfterEach
    void stop() {
        services.values().forEach(StageService::close);
        clients.forEach(KubernetesClient::close);
        if (storage != null) {
            storage.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The chaos wrapper must be the service, plus crashes: every hook of StageHandler reaches the real handler. */
    @Test
    void theCrashingWrapperPassesEveryHandlerHookThrough() {
        for (java.lang.reflect.Method hook : StageHandler.class.getMethods()) {
            assertThat(java.util.Arrays.stream(CrashingHandler.class.getDeclaredMethods())
                    .anyMatch(m -> m.getName().equals(hook.getName())
                            && java.util.Arrays.equals(m.getParameterTypes(), hook.getParameterTypes())))
                    .as("CrashingHandler overrides StageHandler." + hook.getName()).isTrue();
        }
    }

    @Test
    void everyCloneEndsOnceWithOneTargetDespiteCrashesAndApiErrors(KafkaBroker broker) {
        run(broker, false);
    }

    /** The same run with the broker restarted once mid-run: every stage loses its broker mid-transaction. */
    @Test
    void everyCloneEndsOnceAlsoAcrossABrokerRestart(KafkaBroker broker) {
        run(broker, true);
    }

    private void run(KafkaBroker broker, boolean restartBroker) {
        cluster = MockCluster.start();
        KubernetesClient kube = cluster.newClient(PATIENCE);
        clients.add(kube);
        cluster.createNamespace(NS);
        cluster.apply("/samples/fedora.yaml", NS);
        KubernetesClient storageClient = cluster.newClient(PATIENCE);
        clients.add(storageClient);
        storage = new StorageSimulator(storageClient, Duration.ofMillis(600), 3).start();
        env = StageSettings.isolatedEnv(broker.bootstrapServers(), "chaos", 4);
        env.put("VMCLONE_BRIDGE_HTTP_PORT", "0");
        env.put(StageSettings.ENV_MAX_BACKOFF, "200");
        // A dying stage's producer gives up on its open transaction quickly, so partitions move on.
        env.put("KAFKA_REQUEST_TIMEOUT_MS", "3000");
        chaos = new Chaos(20261125L, 0.03, 3);
        injectApiFaults();
        LocalPipeline.stages().keySet().forEach(this::startService);
        await().atMost(Duration.ofSeconds(60)).dontCatchUncaughtExceptions()
                .until(() -> services.values().stream().allMatch(StageService::ready));

        for (int i = 0; i < CLONES; i++) {
            kube.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), NS, name(i),
                    CloneSpec.of("fedora", "fedora-" + i), Map.of())).create();
            if (i == CLONES / 3 || i == 2 * CLONES / 3) {
                restart("bridge"); // with whatever it had observed but not yet sent
            }
            if (restartBroker && i == CLONES / 2) {
                restartBroker(broker); // every service's Kafka clients lose their broker mid-transaction
            }
        }

        long started = System.nanoTime();
        ChaosOutcome outcome = new ChaosOutcome(kube, cluster.cloneGroup(), NS, env);
        // Stage threads die of SimulatedCrash on purpose: Awaitility must not treat that as a test failure.
        try {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(300)).dontCatchUncaughtExceptions().until(() -> {
                restartDeadServices();
                return outcome.terminalCount() == CLONES;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            outcome.printStuck();
            throw new AssertionError("not every clone ended; phases: " + outcome.phases(CLONES) + ", services running: "
                    + services.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, en -> en.getValue().loop().running())), e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int totalCrashes = LocalPipeline.stages().keySet().stream().mapToInt(chaos::crashes).sum();
        assertThat(totalCrashes).as("the run really crashed services").isGreaterThanOrEqualTo(3);
        assertThat(restarts.getOrDefault("bridge", 0)).isGreaterThanOrEqualTo(2);
        assertThat(brokerRestarts).isEqualTo(restartBroker ? 1 : 0);
        assertThat(cluster.slowedDown()).as("late API answers sent").isEqualTo(16);

        String counted = outcome.assertEveryCloneSucceededOnce(CLONES);
        System.out.printf("fault injection: %s, in %.1f s; crashes %s; restarts %s; broker restarts %d; %d late API answers%n",
                counted, seconds, LocalPipeline.stages().keySet().stream().collect(Collectors.toMap(s -> s, chaos::crashes)), restarts,
                brokerRestarts, cluster.slowedDown());
    }

    private int brokerRestarts;

    private void restartBroker(KafkaBroker broker) {
        try {
            broker.restart();
            brokerRestarts++;
        } catch (Exception e) {
            throw new IllegalStateException("could not restart the broker", e);
        }
    }


    /**
     * 500s on the first VM and DataVolume creations, a 409 on a status write, and late answers (the request
     * takes effect at once, the answer comes 2 s later) to source reads, creates and status writes, as a
     * real, overloaded API server may answer.
     */
    private void injectApiFaults() {
        Duration late = Duration.ofSeconds(2);
        cluster.slowDown("GET", "/apis/kubevirt.io/v1/namespaces/" + NS + "/virtualmachines/fedora", late, 5);
        cluster.slowDown("POST", "/apis/kubevirt.io/v1/namespaces/" + NS + "/virtualmachines", late, 3);
        cluster.slowDown("POST", "/apis/cdi.kubevirt.io/v1beta1/namespaces/" + NS + "/datavolumes", late, 3);
        cluster.slowDown("PUT", "/apis/" + cluster.cloneGroup() + "/v1beta1/namespaces/" + NS + "/virtualmachineclones/", late, 5);
        var server = cluster.server();
        server.expect().post().withPath("/apis/kubevirt.io/v1/namespaces/" + NS + "/virtualmachines")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcdserver: request timed out\"}").times(3);
        server.expect().post().withPath("/apis/cdi.kubevirt.io/v1beta1/namespaces/" + NS + "/datavolumes")
                .andReturn(503, "{\"kind\":\"Status\",\"code\":503,\"message\":\"service unavailable\"}").times(2);
        server.expect().put().withPath("/apis/" + cluster.cloneGroup() + "/v1beta1/namespaces/" + NS
                        + "/virtualmachineclones/" + name(7) + "/status")
                .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\",\"message\":\"the object has been modified\"}")
                .once();
    }

    private void startService(String stage) {
        Function<StageContext, StageHandler> inner = LocalPipeline.stages().get(stage);
        Map<String, String> settings = new HashMap<>(env);
        settings.put(StageSettings.ENV_INSTANCE_ID, stage + "-0"); // the same identity after every restart
        KubernetesClient client = cluster.newClient(PATIENCE);
        clients.add(client);
        services.put(stage, StageService.start(StageSettings.from(stage, settings), client,
                ctx -> new CrashingHandler(inner.apply(ctx), chaos, stage), -1));
    }

    private void restart(String stage) {
        services.remove(stage).close();
        restarts.merge(stage, 1, Integer::sum);
        startService(stage);
    }

    private void restartDeadServices() {
        for (String stage : List.copyOf(services.keySet())) {
            if (!services.get(stage).loop().running()) {
                restart(stage);
            }
        }
    }




    private static String name(int i) {
        return String.format("c-%03d", i);
    }
}
