package io.vmclone.bridge;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.MockCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** One bridge under test: unique topics and group on the shared broker, a MockCluster, the real stage runtime. */
final class BridgeFixture implements AutoCloseable {
    static final Duration BOUND = Duration.ofSeconds(45);
    static final String NS = "default";

    final MockCluster cluster = MockCluster.start();
    final KubernetesClient kube = cluster.client();
    final Map<String, String> env;
    private final List<KubernetesClient> clients = new ArrayList<>();
    private StageService service;
    private KafkaProducer<String, byte[]> producer;

    BridgeFixture(KafkaBroker broker, Map<String, String> extra) {
        this(isolated(broker, extra));
    }

    /** A bridge with exactly these settings (a broker of its own, the default topics). */
    private BridgeFixture(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    static BridgeFixture withSettings(Map<String, String> env) {
        return new BridgeFixture(env);
    }

    private static Map<String, String> isolated(KafkaBroker broker, Map<String, String> extra) {
        Map<String, String> e = StageSettings.isolatedEnv(broker.bootstrapServers(), "bridge", 2);
        e.put(BridgeSettings.ENV_HTTP_PORT, "-1");
        // Plain HTTP on loopback, asked for by name (TLS is the default; BridgeTlsTest serves it).
        e.put(BridgeSettings.ENV_PLAIN_HTTP, "true");
        // The tests' own requesting system is a trusted producer, as a deployment lists its own (docs/intake.md).
        e.put(BridgeSettings.ENV_INTAKE_TRUSTED_SOURCES, Requests.SOURCE.toString());
        e.putAll(extra);
        return e;
    }

    StageService start() {
        KubernetesClient client = cluster.newClient();
        clients.add(client);
        service = StageService.start(StageSettings.from(BridgeHandler.STAGE, env), client, BridgeHandler::new, -1);
        await().atMost(BOUND).until(() -> service.loop().ready());
        return service;
    }

    void stop() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    BridgeHandler handler() {
        return (BridgeHandler) service.handler();
    }

    StageSettings settings() {
        return StageSettings.from("test", env);
    }

    /** Every event on the clone log, in order. */
    List<CloneEvent> events() {
        return new EventLogReader(settings()).read(k -> true).stream().map(EventLogReader.LoggedEvent::event).toList();
    }

    List<CloneEvent> events(EventType type) {
        return events().stream().filter(e -> e.type() == type).toList();
    }

    List<CloneEvent> events(EventType type, String cloneName) {
        return events(type).stream().filter(e -> e.cloneRef().name().equals(cloneName)).toList();
    }

    /** Every record on the dead-letter topic. */
    List<ConsumerRecord<String, byte[]>> deadLetters() {
        return EventLogReader.deadLetters(settings()).records();
    }

    void send(ProducerRecord<String, byte[]> record) throws Exception {
        if (producer == null) {
            Properties p = settings().kafkaCommon();
            p.put("acks", "all");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        producer.send(record).get();
    }

    String intakeTopic() {
        return settings().topics().intake();
    }

    GenericKubernetesResource createClone(String name, CloneSpec spec) {
        return kube.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), NS, name, spec, Map.of())).create();
    }

    List<GenericKubernetesResource> clones() {
        return clones(NS);
    }

    List<GenericKubernetesResource> clones(String namespace) {
        return kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(namespace).list().getItems();
    }

    List<GenericKubernetesResource> clonesAnywhere() {
        return kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inAnyNamespace().list().getItems();
    }

    GenericKubernetesResource clone(String name) {
        return kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(NS).withName(name).get();
    }

    @Override
    public void close() {
        stop();
        if (producer != null) {
            producer.close();
        }
        clients.forEach(KubernetesClient::close);
        cluster.close();
    }
}
