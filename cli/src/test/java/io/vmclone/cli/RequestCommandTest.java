package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.bridge.intake.RequestKeys;
import io.vmclone.runtime.StageSettings;
import io.vmclone.runtime.TopicProvisioner;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code vmclone request}: the CloudEvent an external system sends, checked by decoding what reached the topic. */
@ExtendWith(KafkaBrokerExtension.class)
class RequestCommandTest {

    @Test
    void dryRunPrintsAStructuredCloudEventOfTheRequestType() throws Exception {
        Cli.Result r = Cli.run("request", "fedora", "--target", "fedora-2", "-n", "team-a", "--id", "req-1",
                "--event-source", "urn:example:crm", "--requester", "alice", "--new-mac-address", "default:02:00:00:00:00:05",
                "--dry-run");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode ce = Json.MAPPER.readTree(r.out());
        assertThat(ce.path("specversion").asText()).isEqualTo("1.0");
        assertThat(ce.path("type").asText()).isEqualTo(EventType.REQUEST.type());
        assertThat(ce.path("id").asText()).isEqualTo("req-1");
        assertThat(ce.path("source").asText()).isEqualTo("urn:example:crm");
        assertThat(ce.path("requester").asText()).isEqualTo("alice");
        assertThat(ce.path("data").path("namespace").asText()).isEqualTo("team-a");
        assertThat(ce.path("data").path("spec").path("newMacAddresses").path("default").asText()).isEqualTo("02:00:00:00:00:05");
    }

    @Test
    void aBrokerThatDoesNotAnswerOrATopicThatIsNotThereIsSaidSoWithinSeconds(KafkaBroker broker) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: no broker there
        }
        Cli.Result noBroker = Cli.run("request", "fedora", "--bootstrap-servers", "127.0.0.1:" + port);
        assertThat(noBroker.exit()).as(noBroker.toString()).isEqualTo(Vmclone.FAILED);
        assertThat(noBroker.err()).contains("no Kafka broker answered at 127.0.0.1:" + port + " within 5 s")
                .doesNotContain("not present in metadata");

        Cli.Result noTopic = Cli.run("audit", "--all", "--bootstrap-servers", broker.bootstrapServers(), "--events-topic",
                "never-created-" + UUID.randomUUID());
        assertThat(noTopic.exit()).as(noTopic.toString()).isEqualTo(Vmclone.FAILED);
        assertThat(noTopic.err()).contains("topic never-created-").contains("does not exist on " + broker.bootstrapServers());
    }

    @Test
    void binaryAndStructuredRequestsReachTheIntakeTopicAsValidCloudEvents(KafkaBroker broker) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String intake = "intake-req-" + run;
        StageSettings settings = StageSettings.from("test", Map.of(StageSettings.ENV_BOOTSTRAP, broker.bootstrapServers(),
                "VMCLONE_TOPIC_EVENTS", "events-req-" + run, "VMCLONE_TOPIC_INTAKE", intake, "VMCLONE_TOPIC_DLQ", "dlq-req-" + run,
                "VMCLONE_TOPIC_PARTITIONS", "1"));
        TopicProvisioner.ensure(settings);

        Cli.Result binary = Cli.run("request", "fedora", "--target", "fedora-b", "--id", "bin-" + run,
                "--bootstrap-servers", broker.bootstrapServers(), "--intake-topic", intake);
        Cli.Result structured = Cli.run("request", "fedora", "--target", "fedora-s", "--id", "str-" + run, "--structured",
                "--bootstrap-servers", broker.bootstrapServers(), "--intake-topic", intake);
        assertThat(binary.exit()).as(binary.toString()).isZero();
        assertThat(structured.exit()).as(structured.toString()).isZero();
        assertThat(binary.out()).contains("(binary)").contains(intake)
                .as("names the clone the bridge will make").contains("clone default/" + RequestKeys.cloneName("/external/vmclone-cli", "bin-" + run));

        List<ConsumerRecord<String, byte[]>> records = readAll(settings, intake, 2);
        EventCodec codec = new EventCodec();
        assertThat(EventCodec.typeHeader(records.get(0))).as("binary mode carries ce_type").isEqualTo(EventType.REQUEST.type());
        assertThat(EventCodec.typeHeader(records.get(1))).as("structured mode has no ce_ headers").isNull();
        List<CloneEvent> events = records.stream().map(codec::decode).toList();
        assertThat(events).extracting(CloneEvent::id).containsExactly("bin-" + run, "str-" + run);
        assertThat(events).extracting(e -> e.data(CloneRequest.class).spec().target().name()).containsExactly("fedora-b", "fedora-s");
        assertThat(events.get(0).data(CloneRequest.class).namespace()).isEqualTo("default");
    }

    @Test
    void withoutABrokerAddressItIsAUsageError() {
        // KAFKA_BOOTSTRAP_SERVERS is not set in the test JVM
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(StageSettings.ENV_BOOTSTRAP) == null);
        Cli.Result r = Cli.run("request", "fedora");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--bootstrap-servers");
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(StageSettings settings, String topic, int expected) {
        Properties p = settings.kafkaCommon();
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertThat(out).hasSize(expected);
        return out;
    }
}
