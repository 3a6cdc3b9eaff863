package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A stage resuming after a rebalance reads the history of its own partitions only. */
@ExtendWith(KafkaBrokerExtension.class)
class EventLogReaderTest {
    @Test
    void readsOnlyThePartitionsAsked(KafkaBroker broker) throws Exception {
        Map<String, String> env = StageSettings.isolatedEnv(broker.bootstrapServers(), "reader", 3);
        StageSettings settings = StageSettings.from("test-stage", env);
        TopicProvisioner.ensure(settings);
        EventCodec codec = new EventCodec();
        List<String> keys = IntStream.range(0, 12).mapToObj(i -> "ns/clone-" + i).toList();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(settings.kafkaCommon(), new StringSerializer(), new ByteArraySerializer())) {
            for (String key : keys) {
                String name = key.substring(3);
                p.send(codec.toRecord(settings.topics().events(), CloneEvent.of("test", EventType.CANCEL_REQUESTED,
                        new CancelRequested(new CloneRef("ns", name, "uid-" + name)), OffsetDateTime.now(), null))).get();
            }
        }
        EventLogReader reader = new EventLogReader(settings);
        assertThat(reader.partitionCount()).isEqualTo(3);
        List<String> expected = keys.stream().filter(k -> EventLogReader.partitionOf(k, 3) != 1).toList();
        assertThat(expected).as("the keys spread over the partitions").hasSizeBetween(1, keys.size() - 1);

        List<EventLogReader.LoggedEvent> mine = reader.read(key -> true, partition -> partition != 1);
        assertThat(mine).allSatisfy(e -> assertThat(e.position().partition()).isNotEqualTo(1));
        assertThat(mine).extracting(e -> e.event().cloneRef().key()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(reader.read(key -> true)).hasSize(keys.size());
    }
}
