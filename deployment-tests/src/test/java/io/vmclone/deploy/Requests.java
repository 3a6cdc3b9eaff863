package io.vmclone.deploy;

import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.MockCluster;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test plumbing: a run's own topics and groups, and {@code requested} events written as the bridge would. */
final class Requests {
    private Requests() {}

    static final String NS = "default";

    /** Settings for one test run: unique topics and group prefix, {@code partitions} partitions. */
    static Map<String, String> env(KafkaBroker broker, int partitions) {
        return StageSettings.isolatedEnv(broker.bootstrapServers(), "deploy", partitions);
    }

    static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put(key, value);
        return copy;
    }

    /** The fedora sample VM (a stopped VM with one DataVolume disk) in {@link #NS}. */
    static void sampleVm(MockCluster cluster) {
        cluster.apply("/samples/fedora.yaml", NS);
    }

    static CloneEvent requested(String cloneName, String source, String target) {
        CloneRef ref = new CloneRef(NS, cloneName, UUID.randomUUID().toString());
        return CloneEvent.of("bridge", EventType.REQUESTED, new Requested(ref, 1L, CloneSpec.of(source, target),
                Requester.trusted(null, "test"), Origin.resource()), OffsetDateTime.now(), null);
    }

    static void publish(Map<String, String> env, List<CloneEvent> events) {
        StageSettings settings = StageSettings.from("test", env);
        EventCodec codec = new EventCodec();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.kafkaCommon(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (CloneEvent e : events) {
                producer.send(codec.toRecord(settings.topics().events(), e));
            }
            producer.flush();
        }
    }
}
