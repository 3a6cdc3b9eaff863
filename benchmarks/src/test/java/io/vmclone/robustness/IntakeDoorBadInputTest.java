package io.vmclone.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * The bad-input corpus through the Kafka intake door: each case's spec is sent as a {@code request}
 * CloudEvent (or, for the raw cases, as the bytes and headers the case gives) on the intake topic while
 * the whole pipeline runs. What the bridge refuses must come back as a {@code rejected} event carrying
 * the request's id, with the case's reason and field ({@code data.}-prefixed, as the request names it),
 * and be dead-lettered; what passes the bridge and is refused by the planner must end its clone
 * {@code Failed} like the CR door. Nothing may be created.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntakeDoorBadInputTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String DOOR = "intake";
    private static final URI SOURCE = URI.create("/robustness/bad-input");

    private DoorPipeline door;
    private List<String> deadLetterKeys = List.of();

    static Stream<BadInputCase> cases() {
        return BadInputCase.all().stream().filter(c -> c.through(DOOR));
    }

    @BeforeAll
    void startPipelineAndSendEveryCase(KafkaBroker broker) {
        door = DoorPipeline.start(broker, "bad-intake", (cluster, env) -> {
            env.put(BridgeSettings.ENV_HTTP_PORT, "-1");
            // The corpus's producer is trusted: a case is about what it sends, unless its envelope names another source.
            env.put(BridgeSettings.ENV_INTAKE_TRUSTED_SOURCES, SOURCE.toString());
        });
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                new ByteArraySerializer())) {
            cases().forEach(c -> producer.send(record(c)));
            producer.flush();
        }
    }

    private Properties producerProps() {
        Properties p = StageSettings.from("test", door.env()).kafkaCommon();
        p.put("acks", "all");
        p.put("max.request.size", Integer.toString(4 * 1024 * 1024));
        return p;
    }

    /** The case as a binary-mode CloudEvent (or raw record) keyed by the case, after seeding its namespace. */
    private ProducerRecord<String, byte[]> record(BadInputCase c) {
        String ns = c.namespace();
        door.seed(c);
        String topic = StageSettings.from("test", door.env()).topics().intake();
        if (c.raw() != null) {
            ProducerRecord<String, byte[]> raw = new ProducerRecord<>(topic, ns + "/" + intakeName(c),
                    c.rawFor(intakeName(c)).getBytes(StandardCharsets.UTF_8));
            raw.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            return raw;
        }
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("namespace", ns);
        data.put("name", intakeName(c));
        if (c.spec() != null) {
            data.set("spec", c.spec());
        }
        BadInputCase.Envelope envelope = c.envelope();
        URI source = envelope != null && envelope.source() != null ? URI.create(envelope.source()) : SOURCE;
        CloudEventBuilder builder = CloudEventBuilder.v1().withId(c.eventId()).withSource(source).withType(EventType.REQUEST.type())
                .withTime(OffsetDateTime.now()).withDataContentType("application/json")
                .withData("application/json", Json.MAPPER.valueToTree(data).toString().getBytes(StandardCharsets.UTF_8));
        if (envelope != null && envelope.requester() != null) {
            builder.withExtension(Headers.REQUESTER_EXTENSION, envelope.requester());
        }
        if (envelope != null && envelope.requesterGroups() != null) {
            builder.withExtension(Headers.REQUESTER_GROUPS_EXTENSION, envelope.requesterGroups());
        }
        CloudEvent ce = builder.build();
        return KafkaMessageFactory.<String>createWriter(topic, ns + "/" + intakeName(c)).writeBinary(ce);
    }

    private static String intakeName(BadInputCase c) {
        return c.cloneName() + "-intake";
    }

    /** The id a rejection carries as correlationId: the request's, cut to its documented limit. */
    private static String eventId(BadInputCase c) {
        return io.vmclone.schemas.OutcomeLimits.truncate(c.eventId(), io.vmclone.schemas.OutcomeLimits.CORRELATION_ID);
    }

    @AfterAll
    void stop() {
        if (door != null) {
            door.close();
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithTheReasonAndFieldAndCreatesNothing(BadInputCase c) {
        assumeTrue(c.pendingFor(DOOR) == null, () -> "known gap: " + c.pendingFor(DOOR));
        BadInputCase.Expect expect = c.expectFor(DOOR);
        String ns = c.namespace();
        Rejected rejected;
        if ("bridge".equals(expect.stage())) {
            rejected = await().atMost(BOUND).until(() -> rejectedWithCorrelation(eventId(c)), r -> r != null);
            String key = ns + "/" + intakeName(c);
            if (!deadLetterKeys.contains(key)) {
                deadLetterKeys = readDeadLetterKeys();
            }
            assertThat(deadLetterKeys).as("dead-lettered").contains(key);
            assertThat(door.kube().genericKubernetesResources(KubeResources.clones(door.cluster().cloneGroup())).inNamespace(ns)
                    .withName(intakeName(c)).get()).as("no clone resource for a refused request").isNull();
        } else {
            CloneStatus status = await().atMost(BOUND).until(() -> door.status(ns, intakeName(c)),
                    s -> s != null && s.phaseOrNull() != null && s.phaseOrNull().terminal());
            assertThat(status.phase()).isEqualTo("Failed");
            assertThat(status.condition(CloneStatus.READY).reason()).isEqualTo(expect.reason());
            String key = ns + "/" + intakeName(c);
            door.log().find(k -> key.equals(k.key()) && k.event().type() == EventType.REJECTED);
            List<CloneEvent> history = door.log().history(key);
            assertThat(history).extracting(CloneEvent::type).doesNotContain(EventType.PLANNED, EventType.SUCCEEDED);
            rejected = history.stream().filter(e -> e.type() == EventType.REJECTED).findFirst().orElseThrow().data(Rejected.class);
        }
        assertThat(rejected.stage()).as("refused by").isEqualTo(expect.stage());
        assertThat(rejected.reason()).as("reason").isEqualTo(expect.reason());
        assertThat(rejected.field()).as("field").isEqualTo(expect.field());
        if (expect.message() != null) {
            assertThat(rejected.message().toLowerCase()).as("message").contains(expect.message().toLowerCase());
        }
        door.assertCreatedNothing(ns);
    }

    @Order(2)
    @Test
    void servicesKeepRunning() {
        door.assertServicesRunning();
    }

    private Rejected rejectedWithCorrelation(String id) {
        return door.log().find(k -> k.event().type() == EventType.REJECTED && id.equals(k.event().data(Rejected.class).correlationId()))
                .map(k -> k.event().data(Rejected.class)).orElse(null);
    }

    private List<String> readDeadLetterKeys() {
        return EventLogReader.deadLetters(StageSettings.from("test", door.env())).records().stream()
                .filter(r -> r.headers().lastHeader(Headers.DLQ_REASON) != null).map(ConsumerRecord::key).toList();
    }
}
