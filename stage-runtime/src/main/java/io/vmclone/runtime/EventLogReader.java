package io.vmclone.runtime;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.InvalidEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the clone event log from the beginning to its current end (committed records only), without a
 * consumer group: what audit consumers, {@code vmclone audit} and tests use to see a clone's history.
 */
public final class EventLogReader {
    /** One event as it sits in the log. */
    public record LoggedEvent(CloneEvent event, RecordPosition position, Instant timestamp) {}

    private final Properties common;
    private final String topic;
    private final boolean mustExist;
    private final EventCodec codec = new EventCodec();

    public EventLogReader(StageSettings settings) {
        this(settings.kafkaCommon(), settings.topics().events());
    }

    public EventLogReader(Properties common, String topic) {
        this(common, topic, false);
    }

    private EventLogReader(Properties common, String topic, boolean mustExist) {
        this.common = common;
        this.topic = topic;
        this.mustExist = mustExist;
    }

    /**
     * A reader for a service resuming from the log, which it knows exists: no partitions (metadata not
     * available, e.g. while the broker restarts) is an error, never an empty history, so nothing in
     * flight is silently forgotten.
     */
    public EventLogReader mustExist() {
        return new EventLogReader(common, topic, true);
    }

    private List<PartitionInfo> partitions(KafkaConsumer<String, byte[]> consumer) {
        if (!mustExist) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            return infos == null ? List.of() : infos;
        }
        // A broker restarting answers with no metadata for a while: wait it out (about a minute), then fail.
        Backoff backoff = Backoff.standard(Duration.ofSeconds(5));
        for (int attempt = 1; ; attempt++) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // no broker answered in time: try again below
            }
            if (attempt >= 6 || !backoff.pause(attempt)) {
                throw new IllegalStateException("the event log " + topic
                        + " shows no partitions (broker unavailable?); refusing to resume from an empty history");
            }
        }
    }

    /** Every decodable event whose Kafka key matches, in log order per partition (and time across partitions). */
    public List<LoggedEvent> read(Predicate<String> key) {
        return read(key, partition -> true);
    }

    /** As {@link #read(Predicate)}, reading only the partitions {@code partition} accepts (e.g. a consumer's own). */
    public List<LoggedEvent> read(Predicate<String> key, Predicate<Integer> partition) {
        List<LoggedEvent> out = new ArrayList<>();
        scan(partition, r -> {
            if (r.key() == null || !key.test(r.key())) {
                return;
            }
            try {
                out.add(new LoggedEvent(codec.decode(r), new RecordPosition(r.topic(), r.partition(), r.offset()),
                        Instant.ofEpochMilli(r.timestamp())));
            } catch (InvalidEventException e) {
                // not a pipeline event: the dead-letter topic has it
            }
        });
        out.sort(Comparator.comparing((LoggedEvent e) -> e.timestamp()).thenComparing(e -> e.position().partition())
                .thenComparingLong(e -> e.position().offset()));
        return out;
    }

    /** Every committed record of the topic as it is, e.g. the dead-letter topic with its reason headers. */
    public List<ConsumerRecord<String, byte[]>> records() {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        scan(partition -> true, out::add);
        return out;
    }

    /** A reader of {@code settings}' dead-letter topic (use {@link #records()}). */
    public static EventLogReader deadLetters(StageSettings settings) {
        return new EventLogReader(settings.kafkaCommon(), settings.topics().deadLetter());
    }

    /** Hands every committed record, from the beginning to the end the topic has now, to {@code each}. */
    private void scan(Predicate<Integer> partition, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
        Properties p = new Properties();
        p.putAll(common);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = partitions(consumer);
            if (infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream().filter(i -> partition.test(i.partition()))
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /**
     * The events without redeliveries: an event re-sent after a crash has the same source and id (ids are
     * deterministic), and by the CloudEvents rule it is the same event; the first copy is kept.
     */
    public static List<LoggedEvent> distinct(List<LoggedEvent> events) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return events.stream().filter(e -> seen.add(e.event().source() + " " + e.event().id())).toList();
    }

    /** How many partitions the clone log has (0 if it does not exist yet). */
    public int partitionCount() {
        Properties p = new Properties();
        p.putAll(common);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            return partitions(consumer).size();
        }
    }

    /**
     * The partition a clone's events land in, as Kafka's default partitioner places keyed records
     * (murmur2 of the key), for a topic of {@code partitionCount} partitions.
     */
    public static int partitionOf(String cloneKey, int partitionCount) {
        byte[] key = cloneKey.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % partitionCount;
    }

    public List<LoggedEvent> readClone(String cloneKey) {
        return read(cloneKey::equals);
    }
}
