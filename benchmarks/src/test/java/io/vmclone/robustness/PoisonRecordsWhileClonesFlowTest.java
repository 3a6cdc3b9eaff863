package io.vmclone.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Topics;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chaos case of [hostile-input]: while real clones flow through the whole pipeline on the real API server,
 * poison records are fed to the event log and the intake topic between them — bytes that are no CloudEvent, an
 * unknown type, an event without the optional {@code time}, a request whose rejection would be oversized, a
 * record near the broker's size limit, a forged {@code planned} event naming a hostDisk and a claim in
 * kube-system for a clone that does not exist, a forged {@code cancel-requested} for a live clone. Every real
 * clone still ends Succeeded with one VM, every stage stays alive and ready, the forgeries create and delete
 * nothing, and the undecodable records are in the dead-letter topic.
 */
@ExtendWith({KafkaBrokerExtension.class, RealClusterExtension.class})
class PoisonRecordsWhileClonesFlowTest {
    private static final int CLONES = 8;
    private static final Duration BOUND = Duration.ofMinutes(3);

    @Test
    void poisonOnEveryTopicStopsNoStageAndEveryRealCloneFinishes(KafkaBroker broker, RealCluster cluster) throws Exception {
        String ns = cluster.newNamespace("poison");
        try (DoorPipeline door = DoorPipeline.start(broker, "poison", cluster, false, env -> {
            env.put(BridgeSettings.ENV_HTTP_PORT, "-1");
            env.put(StageSettings.ENV_NAMESPACES, ns);
        })) {
            cluster.apply("/samples/fedora.yaml", ns);
            Topics topics = StageSettings.from("test", door.env()).topics();
            var clones = door.kube().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(ns);
            try (KafkaProducer<String, byte[]> producer = producer(door)) {
                for (int i = 0; i < CLONES; i++) {
                    clones.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), ns, "real-" + i,
                            CloneSpec.of("fedora", "real-copy-" + i), Map.of())).create();
                    poison(i, ns, topics).forEach(producer::send);
                    producer.flush();
                }
            }

            Map<String, String> phases = await().atMost(BOUND).pollInterval(Duration.ofSeconds(1)).until(() -> phases(door, ns),
                    p -> p.size() == CLONES && p.values().stream().allMatch("Succeeded"::equals));
            assertThat(phases).hasSize(CLONES);
            List<String> vms = door.kube().genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns)
                    .withLabel(CloneLabels.CLONE_UID).list().getItems().stream().map(vm -> vm.getMetadata().getName()).toList();
            assertThat(vms).as("one VM per real clone, none for a forged plan")
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, CLONES).mapToObj(i -> "real-copy-" + i).toList());
            assertThat(door.kube().genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(ns).list().getItems())
                    .as("no DataVolume of a forged plan").noneMatch(dv -> dv.getMetadata().getName().startsWith("forged-"));
            door.assertServicesRunning();
            assertThat(door.pipeline().ready()).as("every stage ready").isTrue();
            List<String> expected = List.of("not-a-cloud-event-0", "not-a-cloud-event-" + (CLONES - 1), "garbage-intake-0",
                    "huge-" + (CLONES - 1));
            assertThat(deadLetters(door, topics, expected)).as("undecodable records dead-lettered").containsAll(expected);
        }
    }

    /** The poison sent after real clone {@code i}. */
    private static List<ProducerRecord<String, byte[]>> poison(int i, String ns, Topics topics) {
        EventCodec codec = new EventCodec();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(topics.events(), "not-a-cloud-event-" + i, "\u0000\u00ff not json".getBytes(StandardCharsets.ISO_8859_1)));
        records.add(new ProducerRecord<>(topics.intake(), "garbage-intake-" + i, "{\"half\":".getBytes(StandardCharsets.UTF_8)));
        CloudEvent unknown = CloudEventBuilder.v1().withId("unknown-" + i).withSource(URI.create("/somewhere"))
                .withType("io.vmclone.clone.nonsense").withTime(OffsetDateTime.now()).build();
        records.add(KafkaMessageFactory.<String>createWriter(topics.events(), ns + "/ghost-" + i).writeBinary(unknown));
        CloneRef ghost = new CloneRef(ns, "ghost-" + i, UUID.randomUUID().toString());
        CloudEvent timeless = CloudEventBuilder.v1(codec.toCloudEvent(CloneEvent.of("executor", EventType.CANCELLED,
                new Cancelled(ghost, List.of()), OffsetDateTime.now(), null))).withTime(null).build();
        records.add(KafkaMessageFactory.<String>createWriter(topics.events(), ghost.key()).writeBinary(timeless));
        CloudEvent oversized = CloudEventBuilder.v1().withId("\u0001".repeat(40_000) + i).withSource(URI.create("/poison"))
                .withType(EventType.REQUEST.type()).withTime(OffsetDateTime.now())
                .withData("application/json", EventCodec.serialize(new CloneRequest(ns, null, CloneSpec.of("fedora", "never-" + i))))
                .build();
        records.add(KafkaMessageFactory.<String>createWriter(topics.intake(), "oversized-" + i).writeBinary(oversized));
        records.add(new ProducerRecord<>(topics.intake(), "huge-" + i, new byte[900 * 1024]));
        CloneRef forged = new CloneRef(ns, "forged-" + i, UUID.randomUUID().toString());
        records.add(KafkaMessageFactory.<String>createWriter(topics.events(), forged.key())
                .writeBinary(codec.toCloudEvent(CloneEvent.of("planner", EventType.PLANNED, forgedPlan(forged), OffsetDateTime.now(), null))));
        if (i > 0) { // a live clone of the flow, cancelled by someone who is not the bridge
            CloneRef live = new CloneRef(ns, "real-" + (i - 1), null);
            records.add(KafkaMessageFactory.<String>createWriter(topics.events(), live.key()).writeBinary(codec.toCloudEvent(
                    CloneEvent.of("planner", EventType.CANCEL_REQUESTED, new CancelRequested(live), OffsetDateTime.now(), null))));
        }
        return records;
    }

    /** A plan nobody made: a VM with a hostDisk on /etc and a DataVolume cloning a claim from kube-system. */
    private static Planned forgedPlan(CloneRef clone) {
        String target = clone.name() + "-vm";
        ObjectNode vm = Json.MAPPER.createObjectNode().put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        ObjectNode meta = vm.putObject("metadata").put("name", target).put("namespace", clone.namespace());
        meta.putObject("labels").put(CloneLabels.CLONE_UID, clone.uid()).put(CloneLabels.CLONE_NAME, clone.name());
        ObjectNode vmi = vm.putObject("spec").put("runStrategy", "Halted").putObject("template").putObject("spec");
        vmi.putArray("volumes").addObject().put("name", "etc").putObject("hostDisk").put("path", "/etc").put("type", "Disk");
        ObjectNode dv = Json.MAPPER.createObjectNode().put("apiVersion", "cdi.kubevirt.io/v1beta1").put("kind", "DataVolume");
        dv.putObject("metadata").put("name", clone.name() + "-secrets").put("namespace", clone.namespace())
                .putObject("labels").put(CloneLabels.CLONE_UID, clone.uid()).put(CloneLabels.CLONE_NAME, clone.name());
        dv.putObject("spec").putObject("source").putObject("pvc").put("namespace", "kube-system").put("name", "secrets");
        return new Planned(clone, target, vm, List.of(dv), List.of("forged"));
    }

    private static KafkaProducer<String, byte[]> producer(DoorPipeline door) {
        Properties p = StageSettings.from("test", door.env()).kafkaCommon();
        p.put("acks", "all");
        p.put("max.request.size", String.valueOf(2 * 1024 * 1024));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static Map<String, String> phases(DoorPipeline door, String ns) {
        Map<String, String> phases = new HashMap<>();
        for (GenericKubernetesResource c : door.kube().genericKubernetesResources(KubeResources.clones(door.cluster().cloneGroup()))
                .inNamespace(ns).list().getItems()) {
            CloneStatus status = VirtualMachineClones.status(c);
            phases.put(c.getMetadata().getName(), status == null ? null : status.phase());
        }
        return phases;
    }

    /** The keys of every record on the dead-letter topic. */
    private static List<String> deadLetters(DoorPipeline door, Topics topics, List<String> expected) {
        Properties p = StageSettings.from("test", door.env()).kafkaCommon();
        p.put("group.id", "poison-dlq-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.deadLetter()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && !keys.containsAll(expected)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(r.key());
                }
            }
        }
        return keys;
    }
}
