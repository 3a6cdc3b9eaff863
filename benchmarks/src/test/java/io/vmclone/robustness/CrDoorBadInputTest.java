package io.vmclone.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.StorageSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus through the CR door: every case is a VirtualMachineClone created in its own
 * namespace while the whole pipeline runs; each must end {@code Failed} with the case's reason, its
 * {@code rejected} event must name the case's field, and nothing may be created. Afterwards the services
 * still run and a good clone still succeeds.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrDoorBadInputTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String DOOR = "cr";

    private MockCluster cluster;
    private KubernetesClient kube;
    private LocalPipeline pipeline;
    private StorageSimulator storage;
    private Map<String, String> env;
    private EventLogSnapshot log;
    /** namespace → names of the VMs and DataVolumes the case itself put there. */
    private final Map<String, Set<String>> seeded = new HashMap<>();

    static Stream<BadInputCase> cases() {
        return BadInputCase.all().stream().filter(c -> c.through(DOOR));
    }

    @BeforeAll
    void startPipelineAndSubmitEveryCase(KafkaBroker broker) {
        cluster = MockCluster.start();
        kube = cluster.client();
        env = StageSettings.isolatedEnv(broker.bootstrapServers(), "bad-cr", 3);
        storage = new StorageSimulator(cluster.newClient(), Duration.ZERO, 1).start();
        pipeline = LocalPipeline.start(env, cluster::newClient, -1);
        await().atMost(BOUND).until(pipeline::ready);
        log = new EventLogSnapshot(new EventLogReader(StageSettings.from("test", env)));
        // All at once: the pipeline handles them concurrently, the tests below only wait for the answers.
        cases().forEach(this::submit);
    }

    private void submit(BadInputCase c) {
        String ns = c.namespace();
        cluster.createNamespace(ns);
        if (c.hasSample()) {
            cluster.apply("/samples/fedora.yaml", ns);
        }
        for (Map<String, Object> manifest : c.objects()) {
            GenericKubernetesResource r = Json.MAPPER.convertValue(manifest, GenericKubernetesResource.class);
            r.getMetadata().setNamespace(ns);
            kube.resource(r).create();
        }
        seeded.put(ns, names(ns));
        GenericKubernetesResource clone = new GenericKubernetesResourceBuilder()
                .withApiVersion(KubeResources.cloneApiVersion(cluster.cloneGroup())).withKind(KubeResources.CLONE_KIND)
                .withNewMetadata().withNamespace(ns).withName(c.cloneName()).endMetadata().build();
        if (c.spec() != null) {
            clone.getAdditionalProperties().put("spec", Json.MAPPER.convertValue(c.spec(), Object.class));
        }
        kube.resource(clone).create();
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithTheReasonAndFieldAndCreatesNothing(BadInputCase c) {
        assumeTrue(c.pendingFor(DOOR) == null, () -> "known gap: " + c.pendingFor(DOOR));
        String ns = c.namespace();
        CloneStatus status = await().atMost(BOUND).until(() -> status(ns, c.cloneName()), s -> s != null && s.phaseOrNull() != null
                && s.phaseOrNull().terminal());
        assertThat(status.phase()).as("phase").isEqualTo("Failed");
        CloneStatus.Condition ready = status.condition(CloneStatus.READY);
        assertThat(ready.reason()).as("Ready reason").isEqualTo(c.expectFor(DOOR).reason());
        if (c.expectFor(DOOR).field() != null) {
            assertThat(ready.message()).as("Ready message names the field").contains(c.expectFor(DOOR).field());
        }
        if (c.expectFor(DOOR).message() != null) {
            assertThat(ready.message().toLowerCase()).as("Ready message").contains(c.expectFor(DOOR).message().toLowerCase());
        }

        String key = ns + "/" + c.cloneName();
        log.find(k -> key.equals(k.key()) && k.event().type() == EventType.REJECTED);
        List<CloneEvent> history = log.history(key);
        assertThat(history).extracting(CloneEvent::type).as("history").doesNotContain(EventType.PLANNED, EventType.PROGRESSED,
                EventType.SUCCEEDED).filteredOn(t -> t == EventType.REJECTED).hasSize(1);
        Rejected rejected = history.stream().filter(e -> e.type() == EventType.REJECTED).findFirst().orElseThrow().data(Rejected.class);
        assertThat(rejected.stage()).as("refused by").isEqualTo(c.expectFor(DOOR).stage());
        assertThat(rejected.reason()).isEqualTo(c.expectFor(DOOR).reason());
        assertThat(rejected.field()).as("rejected.field").isEqualTo(c.expectFor(DOOR).field());

        assertThat(names(ns)).as("objects in " + ns + " after the rejection").isEqualTo(seeded.get(ns));
        assertThat(kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns).withLabel(CloneLabels.CLONE_UID)
                .list().getItems()).as("VMs made by a clone").isEmpty();
    }

    @Order(2)
    @Test
    void servicesKeepRunningAndAGoodCloneStillSucceeds() {
        assertThat(pipeline.services()).allSatisfy(s -> assertThat(s.loop().running()).as(s.loop().toString()).isTrue());
        String ns = "bad-control";
        cluster.createNamespace(ns);
        cluster.apply("/samples/fedora.yaml", ns);
        kube.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), ns, "good", CloneSpec.of("fedora", "fedora-good"),
                Map.of())).create();
        CloneStatus status = await().atMost(BOUND).until(() -> status(ns, "good"), s -> s != null && "Succeeded".equals(s.phase()));
        assertThat(status.targetName()).isEqualTo("fedora-good");
    }

    private CloneStatus status(String ns, String name) {
        GenericKubernetesResource r = kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(ns)
                .withName(name).get();
        return r == null ? null : VirtualMachineClones.status(r);
    }

    /** Kind/name of every VM, VMI, DataVolume and PVC in {@code ns}. */
    private Set<String> names(String ns) {
        return Stream.of(KubeResources.VIRTUAL_MACHINE, KubeResources.VIRTUAL_MACHINE_INSTANCE, KubeResources.DATA_VOLUME)
                .flatMap(k -> kube.genericKubernetesResources(k).inNamespace(ns).list().getItems().stream()
                        .map(r -> k.getKind() + "/" + r.getMetadata().getName()))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
