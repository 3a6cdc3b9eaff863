package io.vmclone.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The bare-Kafka limit: a message of the pipeline's size relayed through 4 stages, each a
 * read_committed consumer and a transactional producer with the settings {@code StageLoop} uses
 * (poll 10 ms, max.poll.records 200, idempotent, acks=all, linger.ms 2, offsets committed in the
 * transaction), topic 0 → 1 → 2 → 3 → 4. An injector writes topic 0; a read_committed collector reads
 * topic 4 and records send → receive latency. No decoding, no decisions, no Kubernetes.
 */
public final class RelayBaseline implements AutoCloseable {
    static final int STAGES = 4;
    private static final String SENT_HEADER = "x-bench-sent-nanos";
    private static final Duration POLL = io.vmclone.runtime.StageLoop.POLL;

    private final String bootstrap;
    private final String run;
    private final List<String> topics = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicBoolean> assigned = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final KafkaProducer<String, byte[]> injector;

    public RelayBaseline(String bootstrap, String run, int partitions) {
        this.bootstrap = bootstrap;
        this.run = run;
        for (int i = 0; i <= STAGES; i++) {
            topics.add("bench-relay-" + run + "-" + i);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the relay topics", e);
        }
        for (int i = 0; i < STAGES; i++) {
            int stage = i;
            start("relay-stage-" + (i + 1), () -> relay(stage));
        }
        start("relay-collector", this::collect);
        Properties p = common("relay-injector");
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", "2");
        injector = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private void start(String name, Runnable body) {
        AtomicBoolean ready = new AtomicBoolean();
        assigned.add(ready);
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                if (running.get()) {
                    System.err.println(name + " stopped: " + e);
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** True once every stage and the collector own their partitions. */
    public boolean ready() {
        return assigned.stream().allMatch(AtomicBoolean::get);
    }

    private void relay(int stage) {
        Properties cp = consumerProps("relay-" + run + "-stage-" + stage);
        Properties pp = common("relay-" + run + "-stage-" + stage);
        pp.put("transactional.id", "relay-" + run + "-stage-" + stage);
        pp.put("enable.idempotence", "true");
        pp.put("acks", "all");
        pp.put("linger.ms", "2");
        pp.put("transaction.timeout.ms", "60000");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            c.subscribe(List.of(topics.get(stage)), readiness(assigned.get(stage)));
            String out = topics.get(stage + 1);
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = c.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                p.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    p.send(new ProducerRecord<>(out, null, r.key(), r.value(), r.headers()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                p.sendOffsetsToTransaction(offsets, c.groupMetadata());
                p.commitTransaction();
            }
        }
    }

    private void collect() {
        Properties cp = consumerProps("relay-" + run + "-collector");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.get(STAGES)), readiness(assigned.get(STAGES)));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                    long now = System.nanoTime();
                    Header h = r.headers().lastHeader(SENT_HEADER);
                    if (h != null) {
                        received.putIfAbsent(r.key(), now);
                    }
                }
                c.commitSync();
            }
        }
    }

    /**
     * Sends {@code count} copies of {@code value}/{@code headers} (keys {@code <prefix>-<i>}), all at once
     * or at {@code rate} per second, and waits until they have all come out of stage 4.
     */
    public Latencies measure(String prefix, int count, double rate, byte[] value, Iterable<Header> headers, Duration timeout)
            throws InterruptedException {
        sent.clear();
        received.clear();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            String key = prefix + "-" + i;
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.get(0), key, value);
            headers.forEach(h -> record.headers().add(h));
            long now = System.nanoTime();
            record.headers().add(SENT_HEADER, ByteBuffer.allocate(8).putLong(now).array());
            sent.put(key, now);
            injector.send(record);
        }
        injector.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20); // a driver, not a test: plain polling is fine here
        }
        long[] nanos = received.entrySet().stream().filter(e -> sent.containsKey(e.getKey()))
                .mapToLong(e -> e.getValue() - sent.get(e.getKey())).toArray();
        long first = sent.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = received.values().stream().mapToLong(Long::longValue).max().orElse(first);
        return Latencies.of(nanos, last - first);
    }

    private Properties consumerProps(String group) {
        Properties p = common(group);
        p.put("group.id", group);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", "200");
        return p;
    }

    private Properties common(String clientId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("client.id", clientId);
        return p;
    }

    private static ConsumerRebalanceListener readiness(AtomicBoolean flag) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                flag.set(true);
            }
        };
    }

    @Override
    public void close() {
        running.set(false);
        injector.close();
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
