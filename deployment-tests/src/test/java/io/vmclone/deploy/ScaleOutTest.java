package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vmclone.planner.PlannerHandler;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.MockCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two planner instances in one consumer group share the clones, and no clone is planned twice. */
@ExtendWith(KafkaBrokerExtension.class)
class ScaleOutTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int PARTITIONS = 4;
    private static final int CLONES = 20;

    private final List<AutoCloseable> open = new ArrayList<>();
    private MockCluster cluster;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoPlannersShareTheWorkWithNoDuplicates(KafkaBroker broker) {
        cluster = MockCluster.start();
        Requests.sampleVm(cluster);
        Map<String, String> env = Requests.env(broker, PARTITIONS);
        StageService one = planner(Requests.with(env, StageSettings.ENV_INSTANCE_ID, "planner-one"));
        StageService two = planner(Requests.with(env, StageSettings.ENV_INSTANCE_ID, "planner-two"));
        // Both in the group with the partitions split between them before any work arrives.
        await().atMost(BOUND).until(() -> assigned(one) > 0 && assigned(two) > 0 && assigned(one) + assigned(two) == PARTITIONS);

        List<CloneEvent> requests = IntStream.range(0, CLONES)
                .mapToObj(i -> Requests.requested("clone-" + i, "fedora", "copy-" + i)).toList();
        Requests.publish(env, requests);

        EventLogReader log = new EventLogReader(StageSettings.from("test", env));
        List<EventLogReader.LoggedEvent> planned = await().atMost(BOUND)
                .until(() -> log.read(k -> true).stream().filter(e -> e.event().type() == EventType.PLANNED).toList(),
                        l -> l.size() >= CLONES);

        Map<String, Long> perClone = planned.stream().collect(Collectors.groupingBy(e -> e.event().cloneRef().key(), Collectors.counting()));
        assertThat(perClone).hasSize(CLONES).allSatisfy((clone, count) -> assertThat(count).as(clone).isEqualTo(1L));
        assertThat(perClone.keySet()).isEqualTo(requests.stream().map(r -> r.cloneRef().key()).collect(Collectors.toSet()));
        double byOne = planned(one);
        double byTwo = planned(two);
        assertThat(byOne).as("planned by instance one").isPositive();
        assertThat(byTwo).as("planned by instance two").isPositive();
        assertThat(byOne + byTwo).isEqualTo(CLONES);
        assertThat(planned).extracting(e -> e.event().type()).containsOnly(EventType.PLANNED);
    }

    /**
     * Two executors in one group: each applies and follows only the clones of its partitions. When one
     * stops mid-copy, the other takes its partitions over and finishes its clones: every clone ends with
     * exactly one target VM and one {@code succeeded}, and both instances did part of the work.
     */
    @Test
    void twoExecutorsShareTheClonesAndOneTakesOverWhenTheOtherStops(KafkaBroker broker) {
        cluster = MockCluster.start();
        Requests.sampleVm(cluster);
        Map<String, String> env = Requests.with(Requests.env(broker, PARTITIONS), "KAFKA_REQUEST_TIMEOUT_MS", "5000");
        planner(env);
        StageService one = executor(Requests.with(env, StageSettings.ENV_INSTANCE_ID, "executor-one"));
        StageService two = executor(Requests.with(env, StageSettings.ENV_INSTANCE_ID, "executor-two"));
        await().atMost(BOUND).until(() -> assigned(one) > 0 && assigned(two) > 0 && assigned(one) + assigned(two) == PARTITIONS);

        List<CloneEvent> requests = IntStream.range(0, CLONES)
                .mapToObj(i -> Requests.requested("dup-" + i, "fedora", "dup-copy-" + i)).toList();
        Requests.publish(env, requests);
        // Every target exists (both instances applied their share), no copy has finished yet: stop one.
        await().atMost(BOUND).until(() -> targetVms().size() == CLONES);
        double appliedByOne = plansHandled(one);
        one.close();
        // Play CDI: every copy finishes, including those the stopped instance was following.
        cluster.client().genericKubernetesResources(io.vmclone.schemas.kube.KubeResources.DATA_VOLUME).inNamespace(Requests.NS)
                .withLabel(io.vmclone.schemas.kube.CloneLabels.CLONE_UID).list().getItems()
                .forEach(dv -> io.vmclone.testsupport.StorageSimulator.setPhase(cluster.client(), Requests.NS,
                        dv.getMetadata().getName(), "Succeeded", "100.0%"));

        EventLogReader log = new EventLogReader(StageSettings.from("test", env));
        List<EventLogReader.LoggedEvent> succeeded = await().atMost(BOUND)
                .until(() -> log.read(k -> true).stream().filter(e -> e.event().type() == EventType.SUCCEEDED).toList(),
                        l -> l.stream().map(e -> e.event().cloneRef().key()).distinct().count() == CLONES);
        Map<String, Long> perClone = succeeded.stream().collect(Collectors.groupingBy(e -> e.event().cloneRef().key(), Collectors.counting()));
        assertThat(perClone).hasSize(CLONES).allSatisfy((clone, count) -> assertThat(count).as(clone).isEqualTo(1L));
        assertThat(targetVms()).hasSize(CLONES);
        assertThat(appliedByOne).as("instance one had a share before it stopped").isPositive();
        assertThat(assigned(two)).as("instance two took over every partition").isEqualTo(PARTITIONS);
    }

    private List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> targetVms() {
        return cluster.client().genericKubernetesResources(io.vmclone.schemas.kube.KubeResources.VIRTUAL_MACHINE)
                .inNamespace(Requests.NS).withLabel(io.vmclone.schemas.kube.CloneLabels.CLONE_UID).list().getItems();
    }

    private StageService executor(Map<String, String> env) {
        KubernetesClient kube = cluster.newClient();
        open.add(kube);
        StageService s = StageService.start(StageSettings.from(io.vmclone.executor.ExecutorHandler.STAGE, env), kube,
                io.vmclone.executor.ExecutorHandler::new, -1);
        open.add(s);
        return s;
    }

    private static double plansHandled(StageService s) {
        return s.registry().find("vmclone.stage.handle").tag("type", EventType.PLANNED.slug()).timers().stream()
                .mapToDouble(t -> t.count()).sum();
    }

    private StageService planner(Map<String, String> env) {
        KubernetesClient kube = cluster.newClient();
        open.add(kube);
        StageService s = StageService.start(StageSettings.from(PlannerHandler.STAGE, env), kube, PlannerHandler::new, -1);
        open.add(s);
        return s;
    }

    private static double assigned(StageService s) {
        Gauge g = s.registry().find("vmclone.stage.assigned.partitions").gauge();
        return g == null ? 0 : g.value();
    }

    private static double planned(StageService s) {
        Counter c = s.registry().find("vmclone.clones.planned").counter();
        return c == null ? 0 : c.count();
    }
}
