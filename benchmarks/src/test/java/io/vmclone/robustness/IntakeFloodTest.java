package io.vmclone.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A flood of intake requests sent at once, the whole pipeline running (indexed in-memory API or the real API
 * server, instant storage): every request is answered — a valid one by its clone ending {@code Succeeded}, an invalid one or
 * a replay by the bridge's {@code rejected} on the log — and nothing is made twice, while the bridge remembers
 * at most {@value #REMEMBERED} requests, so the replays at the end (of the first requests sent) are recognised
 * past that bound by their clones' request-key labels. In the build: 1,000 requests on the indexed in-memory API and
 * 300 on the real API server; {@code -Dvmclone.flood.requests=5000 -Dvmclone.flood.real.requests=5000} for the
 * figures in docs/robustness.md.
 */
@ExtendWith({KafkaBrokerExtension.class, RealClusterExtension.class})
class IntakeFloodTest {
    private static final int REQUESTS = Integer.getInteger("vmclone.flood.requests", 1_000);
    /** On the real API server (RBAC, etcd, every write persisted) the build sends fewer; the figure uses 5,000. */
    private static final int REAL_REQUESTS = Integer.getInteger("vmclone.flood.real.requests", 300);
    private static final int REMEMBERED = 100;
    private static final URI SOURCE = URI.create("/robustness/flood");

    /** Every tenth request is invalid (target = source): refused by the bridge. */
    private static boolean invalid(int i) {
        return i % 10 == 7;
    }

    /** One flood: {@code requests} requests into {@code ns}, then replays of the first ones. */
    private record Flood(String ns, int requests) {
        int replays() {
            return Math.max(10, requests / 50);
        }

        Duration bound() {
            return Duration.ofMinutes(Math.max(8, requests / 250));
        }
    }

    @Test
    void everyRequestOfAFloodIsAnsweredAndNothingIsMadeTwiceWithTheBridgesMemoryBounded(KafkaBroker broker) throws Exception {
        MockCluster cluster = MockCluster.startIndexed();
        cluster.createNamespace("flood");
        flood(broker, cluster, true, new Flood("flood", REQUESTS), "in-memory API");
    }

    @Test
    void aFloodOnTheRealApiServerIsAnsweredToo(KafkaBroker broker, RealCluster cluster) throws Exception {
        flood(broker, cluster, false, new Flood(cluster.newNamespace("flood"), REAL_REQUESTS), "real API server");
    }

    private void flood(KafkaBroker broker, KubeCluster cluster, boolean owns, Flood flood, String api) throws Exception {
        String ns = flood.ns();
        try (DoorPipeline door = DoorPipeline.start(broker, "flood", cluster, owns, env -> {
            env.put(BridgeSettings.ENV_HTTP_PORT, "-1");
            env.put(BridgeSettings.ENV_REMEMBERED_REQUESTS, String.valueOf(REMEMBERED));
            env.put(BridgeSettings.ENV_INTAKE_TRUSTED_SOURCES, SOURCE.toString()); // the flood's producer acts on its own authority
        })) {
            cluster.apply("/samples/fedora.yaml", ns);
            long heapBefore = liveHeapKb();
            long start = System.nanoTime();
            List<Integer> replayed = IntStream.range(0, flood.requests()).filter(i -> !invalid(i)).limit(flood.replays()).boxed().toList();
            send(door, flood, replayed);

            int valid = (int) IntStream.range(0, flood.requests()).filter(i -> !invalid(i)).count();
            Map<String, String> phases = await().atMost(flood.bound()).pollInterval(Duration.ofSeconds(2)).until(() -> phases(door, ns),
                    p -> p.size() >= valid && p.values().stream().allMatch(IntakeFloodTest::terminal));
            List<Rejected> rejected = await().atMost(flood.bound()).pollInterval(Duration.ofSeconds(2))
                    .until(() -> bridgeRejections(door, ns), r -> r.size() >= flood.requests() - valid + flood.replays());
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(phases).hasSize(valid).allSatisfy((id, phase) -> assertThat(phase).as(id).isEqualTo("Succeeded"));
            Map<String, List<String>> reasons = rejected.stream().collect(Collectors.groupingBy(Rejected::correlationId,
                    Collectors.mapping(Rejected::reason, Collectors.toList())));
            IntStream.range(0, flood.requests()).filter(IntakeFloodTest::invalid)
                    .forEach(i -> assertThat(reasons.get(id(i))).as(id(i)).containsExactly(Reasons.INVALID_SPEC));
            replayed.forEach(i -> assertThat(reasons.get(id(i))).as(id(i)).containsExactly(Reasons.DUPLICATE_REQUEST));
            assertThat(rejected).hasSize(flood.requests() - valid + flood.replays());
            assertThat(door.kube().genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns)
                    .withLabel(CloneLabels.CLONE_UID).list().getItems()).as("target VMs").hasSize(valid);

            double remembered = bridgeGauge(door, "vmclone.bridge.requests.remembered");
            assertThat(remembered).as("requests the bridge remembers").isLessThanOrEqualTo(REMEMBERED);
            System.out.printf("intake flood on the %s: %d requests + %d replays answered in %.1f s (%.0f/s): %d Succeeded, %d rejected; "
                            + "bridge remembers %.0f requests (bound %d); live heap of the JVM (broker, API, 4 services) %d -> %d MiB%n",
                    api, flood.requests(), flood.replays(), seconds, (flood.requests() + flood.replays()) / seconds, valid,
                    rejected.size(), remembered, REMEMBERED, heapBefore / 1024, liveHeapKb() / 1024);
        }
    }

    /** All at once: every request, then the replays of the first ones (past the bridge's memory at this size). */
    private static void send(DoorPipeline door, Flood flood, List<Integer> replayed) {
        Properties p = StageSettings.from("test", door.env()).kafkaCommon();
        p.put("acks", "all");
        p.put("linger.ms", "20");
        String topic = StageSettings.from("test", door.env()).topics().intake();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            IntStream.range(0, flood.requests()).forEach(i -> producer.send(record(topic, flood.ns(), i)));
            replayed.forEach(i -> producer.send(record(topic, flood.ns(), i)));
            producer.flush();
        }
    }

    private static ProducerRecord<String, byte[]> record(String topic, String ns, int i) {
        CloneSpec spec = CloneSpec.of("fedora", invalid(i) ? "fedora" : "flood-copy-" + i);
        CloudEvent ce = CloudEventBuilder.v1().withId(id(i)).withSource(SOURCE).withType(EventType.REQUEST.type())
                .withTime(OffsetDateTime.now()).withData("application/json", EventCodec.serialize(new CloneRequest(ns, null, spec))).build();
        return KafkaMessageFactory.<String>createWriter(topic, id(i)).writeBinary(ce);
    }

    private static String id(int i) {
        return "flood-" + i;
    }

    /** Request id → phase of every clone materialised in the flood's namespace. */
    private static Map<String, String> phases(DoorPipeline door, String ns) {
        Map<String, String> phases = new HashMap<>();
        for (GenericKubernetesResource c : door.kube().genericKubernetesResources(KubeResources.clones(door.cluster().cloneGroup()))
                .inNamespace(ns).list().getItems()) {
            CloneStatus status = VirtualMachineClones.status(c);
            phases.put(c.getMetadata().getAnnotations().get(CloneLabels.REQUEST_ID), status == null ? null : status.phase());
        }
        return phases;
    }

    private static boolean terminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase) || "Cancelled".equals(phase);
    }

    private static List<Rejected> bridgeRejections(DoorPipeline door, String ns) {
        return EventLogReader.distinct(new EventLogReader(StageSettings.from("test", door.env())).read(k -> k.startsWith(ns + "/")))
                .stream().filter(e -> e.event().type() == EventType.REJECTED).map(e -> e.event().data(Rejected.class))
                .filter(r -> BridgeHandler.STAGE.equals(r.stage())).toList();
    }

    private static double bridgeGauge(DoorPipeline door, String name) {
        StageService bridge = door.pipeline().services().stream().filter(s -> s.handler() instanceof BridgeHandler).findFirst().orElseThrow();
        return bridge.registry().find(name).gauge().value();
    }

    /** The heap this JVM retains after a full collection, in KiB. */
    private static long liveHeapKb() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / 1024;
    }
}
