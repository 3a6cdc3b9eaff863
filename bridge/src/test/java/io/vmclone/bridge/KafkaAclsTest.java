package io.vmclone.bridge;

import static io.vmclone.bridge.BridgeFixture.BOUND;
import static io.vmclone.bridge.BridgeFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.vmclone.bridge.intake.RequestKeys;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.runtime.TopicProvisioner;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.Topics;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.testsupport.KafkaUserAcls;
import io.vmclone.testsupport.SaslAclKafkaBroker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may write where, on a broker that authenticates (SASL/PLAIN) and authorizes (StandardAuthorizer, nothing allowed
 * without an ACL), with the ACLs shipped in {@code deploy/kafka/kafka-users.yaml} put on it as Strimzi would: an intake
 * producer may write the intake topic and not the event log (where a forged {@code planned} would make a VM), the
 * services may not write the intake topic, and the bridge does all its work with the services' ACLs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAclsTest {
    private static final String SERVICES = "vmclone";
    private static final String INTAKE_PRODUCER = "ticketing";
    private static final Path SHIPPED = Path.of("deploy", "kafka", "kafka-users.yaml");
    private final Topics topics = Topics.defaults();
    private final EventCodec codec = new EventCodec();
    private SaslAclKafkaBroker broker;
    private List<AclBinding> shipped;

    @BeforeAll
    void startBrokerWithTheShippedAcls() {
        broker = SaslAclKafkaBroker.start(List.of(SERVICES, INTAKE_PRODUCER));
        shipped = KafkaUserAcls.of(projectFile(SHIPPED));
        broker.addAcls(shipped);
        await().atMost(BOUND).until(() -> broker.acls().containsAll(shipped));
        try (Admin admin = broker.admin()) { // the operator creates the topics; the services then need no Create
            TopicProvisioner.ensure(admin, new Topics(topics.events(), topics.intake(), topics.deadLetter(), 2), (short) 1);
        }
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theShippedAclsNameThePipelinesTopicsAndGrantBothPrincipals() {
        Set<String> named = shipped.stream().filter(b -> b.pattern().resourceType() == ResourceType.TOPIC).map(b -> b.pattern().name())
                .collect(Collectors.toSet());
        assertThat(named).as("topics in %s", SHIPPED).containsExactlyInAnyOrderElementsOf(topics.all());
        assertThat(shipped).extracting(b -> b.entry().principal()).containsOnly("User:" + SERVICES, "User:" + INTAKE_PRODUCER);
    }

    @Test
    void anIntakeProducerMayWriteTheIntakeTopicButNotTheEventLogNorTheDeadLetters() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(INTAKE_PRODUCER)) {
            CloneEvent request = request("acl-intake", URI.create("/tests/acl"), "acl-copy");
            assertThat(producer.send(codec.toRecord(topics.intake(), request)).get().topic()).isEqualTo(topics.intake());

            CloneEvent forged = CloneEvent.of(BridgeHandler.STAGE, EventType.REJECTED, new Rejected(
                    new io.vmclone.schemas.CloneRef(NS, "forged", "uid-forged"), BridgeHandler.STAGE, Reasons.INVALID_SPEC, null,
                    "forged", null), OffsetDateTime.now(), null);
            assertThat(refusal(producer, codec.toRecord(topics.events(), forged))).isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(topics.events());
            assertThat(refusal(producer, codec.toRecord(topics.deadLetter(), request))).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theServicesMayNotWriteTheIntakeTopic() {
        try (KafkaProducer<String, byte[]> producer = producer(SERVICES)) {
            CloneEvent request = request("acl-services", URI.create("/tests/acl"), "acl-services-copy");
            assertThat(refusal(producer, codec.toRecord(topics.intake(), request))).isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(topics.intake());
        }
    }

    /**
     * The bridge as {@code User:vmclone}: it lists the topics, joins its group, reads the intake topic and the log, and
     * writes {@code requested}, a {@code rejected} and a dead letter in its transactions, with nothing but the shipped ACLs.
     */
    @Test
    void theBridgeWorksWithTheShippedAcls() throws Exception {
        URI trustedSource = URI.create("/tests/acl-ticketing");
        Map<String, String> env = new HashMap<>(broker.kafkaEnv(SERVICES));
        env.put(BridgeSettings.ENV_HTTP_PORT, "-1");
        env.put(BridgeSettings.ENV_INTAKE_TRUSTED_SOURCES, trustedSource.toString());
        try (BridgeFixture bridge = BridgeFixture.withSettings(env);
             KafkaProducer<String, byte[]> producer = producer(INTAKE_PRODUCER)) {
            bridge.start();
            producer.send(codec.toRecord(topics.intake(), request("acl-ok", trustedSource, "web-acl"))).get();
            producer.send(codec.toRecord(topics.intake(), request("acl-anonymous", URI.create("/tests/unlisted"), "web-anon"))).get();

            Requested requested = await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED).stream()
                    .map(e -> e.data(Requested.class)).filter(r -> "acl-ok".equals(r.origin().eventId())).findFirst().orElse(null),
                    r -> r != null);
            assertThat(requested.cloneRef().name()).isEqualTo(RequestKeys.cloneName(trustedSource.toString(), "acl-ok"));
            Rejected anonymous = await().atMost(BOUND).until(() -> bridge.events(EventType.REJECTED).stream()
                    .map(e -> e.data(Rejected.class)).filter(r -> "acl-anonymous".equals(r.correlationId())).findFirst().orElse(null),
                    r -> r != null);
            assertThat(anonymous.field()).isEqualTo(Headers.REQUESTER_EXTENSION);
            StageSettings operator = StageSettings.from("operator", broker.kafkaEnv(SaslAclKafkaBroker.ADMIN));
            await().atMost(BOUND).until(() -> EventLogReader.deadLetters(operator).records().stream()
                    .anyMatch(r -> r.headers().lastHeader(Headers.DLQ_REASON) != null));
            assertThat(bridge.clones()).extracting(c -> c.getMetadata().getName()).containsExactly(requested.cloneRef().name());
        }
    }

    private KafkaProducer<String, byte[]> producer(String user) {
        Properties p = broker.clientProperties(user);
        p.put("acks", "all");
        p.put("max.block.ms", "30000");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static CloneEvent request(String id, URI source, String target) {
        return new CloneEvent(id, source, EventType.REQUEST, OffsetDateTime.now(), new CloneRequest(NS, null, CloneSpec.of("web", target)),
                null);
    }

    /** The error a send ends in (thrown at once, or failing its future). */
    private static Throwable refusal(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
        Throwable t = catchThrowable(() -> producer.send(record).get());
        assertThat(t).as("a send to " + record.topic() + " must be refused").isNotNull();
        return t instanceof java.util.concurrent.ExecutionException ? t.getCause() : t;
    }

    /** {@code relative} in the project's root (the tests run in the module's folder). */
    private static Path projectFile(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("no " + relative + " above " + Path.of("").toAbsolutePath());
    }
}
