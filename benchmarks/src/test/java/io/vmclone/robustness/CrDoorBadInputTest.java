package io.vmclone.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private DoorPipeline door;
    /** Cases the API server itself refused at create (the real one validates our CRD's schema), with its message. */
    private final Map<String, String> refusedAtCreate = new java.util.concurrent.ConcurrentHashMap<>();

    /** The door on fabric8's mock; {@link CrDoorOnRealServerBadInputTest} runs the corpus on a real kube-apiserver. */
    protected DoorPipeline startDoor(KafkaBroker broker) {
        return DoorPipeline.start(broker, "bad-cr", (cluster, env) -> {});
    }

    static Stream<BadInputCase> cases() {
        return BadInputCase.all().stream().filter(c -> c.through(DOOR));
    }

    @BeforeAll
    void startPipelineAndSubmitEveryCase(KafkaBroker broker) {
        door = startDoor(broker);
        // All at once: the pipeline handles them concurrently, the tests below only wait for the answers.
        cases().forEach(this::submit);
    }

    private void submit(BadInputCase c) {
        String ns = c.namespace();
        door.seed(c);
        GenericKubernetesResource clone = new GenericKubernetesResourceBuilder()
                .withApiVersion(KubeResources.cloneApiVersion(door.cluster().cloneGroup())).withKind(KubeResources.CLONE_KIND)
                .withNewMetadata().withNamespace(ns).withName(c.cloneName()).endMetadata().build();
        if (c.spec() != null) {
            clone.getAdditionalProperties().put("spec", Json.MAPPER.convertValue(c.spec(), Object.class));
        }
        try {
            door.kube().resource(clone).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 422) {
                throw e;
            }
            refusedAtCreate.put(c.cloneName() + "@" + ns, e.getMessage());
        }
    }

    @AfterAll
    void stop() {
        // kept in the test report: which cases the API server's own validation of the CRD already refuses
        System.out.println(refusedAtCreate.size() + " of " + cases().count() + " cases refused by the API server at create: "
                + new java.util.TreeSet<>(refusedAtCreate.keySet()));
        if (door != null) {
            door.close();
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithTheReasonAndFieldAndCreatesNothing(BadInputCase c) {
        assumeTrue(c.pendingFor(DOOR) == null, () -> "known gap: " + c.pendingFor(DOOR));
        String ns = c.namespace();
        String refusal = refusedAtCreate.get(c.cloneName() + "@" + ns);
        if (refusal != null) {
            // Refused by the API server's own validation of our CRD: the user sees it at once; nothing exists.
            String field = c.expectFor(DOOR).field();
            assertThat(refusal).as("the server names the field").contains(field == null ? "spec" : parentOf(field));
            assertThat(door.status(ns, c.cloneName())).as("no clone stored").isNull();
            door.assertCreatedNothing(ns);
            return;
        }
        CloneStatus status = await().atMost(BOUND).until(() -> door.status(ns, c.cloneName()), s -> s != null && s.phaseOrNull() != null
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
        door.log().find(k -> key.equals(k.key()) && k.event().type() == EventType.REJECTED);
        List<CloneEvent> history = door.log().history(key);
        assertThat(history).extracting(CloneEvent::type).as("history").doesNotContain(EventType.PLANNED, EventType.PROGRESSED,
                EventType.SUCCEEDED).filteredOn(t -> t == EventType.REJECTED).hasSize(1);
        Rejected rejected = history.stream().filter(e -> e.type() == EventType.REJECTED).findFirst().orElseThrow().data(Rejected.class);
        assertThat(rejected.stage()).as("refused by").isEqualTo(c.expectFor(DOOR).stage());
        assertThat(rejected.reason()).isEqualTo(c.expectFor(DOOR).reason());
        assertThat(rejected.field()).as("rejected.field").isEqualTo(c.expectFor(DOOR).field());

        door.assertCreatedNothing(ns);
    }

    /** {@code spec.newMacAddresses.eth0} → {@code spec.newMacAddresses}: the server names map keys its own way. */
    private static String parentOf(String field) {
        int bracket = field.indexOf('[');
        String path = bracket > 0 ? field.substring(0, bracket) : field;
        return path.startsWith("spec.newMacAddresses") ? "spec.newMacAddresses" : path;
    }

    @Order(2)
    @Test
    void servicesKeepRunningAndAGoodCloneStillSucceeds() {
        door.assertServicesRunning();
        String ns = door.cluster().newNamespace("bad-control");
        door.cluster().apply("/samples/fedora.yaml", ns);
        door.kube().resource(VirtualMachineClones.newResource(door.cluster().cloneGroup(), ns, "good",
                CloneSpec.of("fedora", "fedora-good"), Map.of())).create();
        CloneStatus status = await().atMost(BOUND).until(() -> door.status(ns, "good"),
                s -> s != null && "Succeeded".equals(s.phase()));
        assertThat(status.targetName()).isEqualTo("fedora-good");
    }
}
