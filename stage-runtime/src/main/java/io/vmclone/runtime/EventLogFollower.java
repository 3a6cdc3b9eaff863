package io.vmclone.runtime;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.InvalidEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the clone event log from its beginning on a thread of its own, without a consumer group (every
 * instance reads everything), and hands each committed event of the wanted types to a listener, in log order
 * per partition. {@link #awaitCurrent} returns once the listener has had every event committed before the
 * call: a decision can then rest on what the log says, not on how far this thread happened to have read.
 *
 * <p>"Committed" is what a {@code read_committed} consumer can read: an event behind a transaction still open
 * in its partition (another stage's, at most its transaction budget) is not readable yet, so not awaited.
 */
public final class EventLogFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLogFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * While callers wait: a poll returns only with records or at its timeout, and the last thing before the end is
     * usually a transaction marker, which moves the position but returns no record.
     */
    private static final Duration CATCHING_UP = Duration.ofMillis(5);

    private final Properties props;
    private final String topic;
    private final Set<String> types;
    private final Consumer<EventLogReader.LoggedEvent> listener;
    private final EventCodec codec = new EventCodec();
    private final Object lock = new Object();
    /** Tickets handed to callers of {@link #awaitCurrent}; ticket 1 is the start (read what the log held then). */
    private long asked = 1;
    /** Every ticket up to this one is answered: the listener has had what was committed when it was asked. */
    private long answered;
    private volatile boolean polling;
    private volatile boolean closed;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;

    /** Follows {@code settings}' event log, decoding only events of {@code types} (the others are skipped by header). */
    public EventLogFollower(StageSettings settings, Set<EventType> types, Consumer<EventLogReader.LoggedEvent> listener) {
        this.props = new Properties();
        props.putAll(settings.kafkaCommon());
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("client.id", settings.instanceId() + "-log-follower");
        this.topic = settings.topics().events();
        this.types = types.stream().map(EventType::type).collect(Collectors.toUnmodifiableSet());
        this.listener = listener;
        this.thread = DaemonThreads.named("event-log-follower").newThread(this::run);
    }

    public EventLogFollower start() {
        thread.start();
        return this;
    }

    /**
     * Waits until the listener has had every event committed before this call (false after {@code timeout},
     * or if interrupted). Callers waiting together share one look at the log's end.
     */
    public boolean awaitCurrent(Duration timeout) {
        long ticket;
        synchronized (lock) {
            ticket = ++asked;
        }
        KafkaConsumer<String, byte[]> c = consumer;
        if (polling && c != null) {
            c.wakeup(); // only an idle poll is cut short: a look at the log's end in progress is left alone
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (answered < ticket) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether everything the log held when this follower started has been handed over. */
    public boolean caughtUp() {
        synchronized (lock) {
            return answered >= 1;
        }
    }

    private void run() {
        // The end is asked on a connection of its own: a broker answers one connection's requests in order, so on
        // the reading one it would wait behind the fetch the broker holds open (fetch.max.wait.ms) while idle.
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<String, byte[]> ends = new KafkaConsumer<>(endProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = assign(c);
            if (partitions.isEmpty()) {
                return; // closed before the log was there
            }
            follow(c, ends, partitions);
        } catch (RuntimeException e) {
            if (!closed) {
                log.error("event log follower stopped; callers waiting for the log will time out", e);
            }
        } finally {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private Properties endProps() {
        Properties p = new Properties();
        p.putAll(props);
        p.put("client.id", props.getProperty("client.id") + "-ends");
        return p;
    }

    private List<TopicPartition> assign(KafkaConsumer<String, byte[]> c) {
        Backoff backoff = Backoff.standard(Duration.ofSeconds(5));
        for (int attempt = 1; !closed; attempt++) {
            try {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                    c.assign(partitions);
                    c.seekToBeginning(partitions);
                    return partitions;
                }
            } catch (WakeupException | org.apache.kafka.common.errors.TimeoutException e) {
                // a caller woke us, or no broker answered: look again
            }
            backoff.pause(attempt);
        }
        return List.of();
    }

    /** Reads and hands over; between polls, answers the callers whose look at the log's end has been read up to. */
    private void follow(KafkaConsumer<String, byte[]> c, KafkaConsumer<String, byte[]> ends, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> target = null;
        long targetTicket = 0;
        int failures = 0;
        while (!closed) {
            try {
                if (target == null && asked() > targetTicket) {
                    long ticket = asked(); // taken before the look, so every caller counted here started before it
                    target = ends.endOffsets(partitions); // read_committed: the last stable offsets
                    targetTicket = ticket;
                }
                if (target != null && reached(c, target)) {
                    answer(targetTicket);
                    target = null;
                    continue; // callers that came meanwhile get their own look at once
                }
                polling = true;
                // Re-read after announcing the poll: a caller either sees polling (and wakes it) or is seen here.
                if (target == null && asked() > targetTicket) {
                    polling = false;
                    continue;
                }
                var records = c.poll(target == null ? POLL : CATCHING_UP);
                polling = false;
                records.forEach(this::hand);
                failures = 0;
            } catch (WakeupException e) {
                polling = false; // a caller is waiting (or close): look again at once
            } catch (RuntimeException e) {
                polling = false;
                log.warn("event log follower: {} (retrying)", e.toString());
                Backoff.standard(Duration.ofSeconds(5)).pause(++failures);
            }
        }
    }

    private long asked() {
        synchronized (lock) {
            return asked;
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> target) {
        return target.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }

    private void answer(long ticket) {
        synchronized (lock) {
            answered = Math.max(answered, ticket);
            lock.notifyAll();
        }
    }

    private void hand(ConsumerRecord<String, byte[]> r) {
        String type = EventCodec.typeHeader(r);
        if (type != null && !types.contains(type)) {
            return; // not wanted: never decoded
        }
        CloneEvent event;
        try {
            event = codec.decode(r);
        } catch (InvalidEventException e) {
            return; // not a pipeline event: the stages dead-letter it
        }
        if (!types.contains(event.type().type())) {
            return;
        }
        try {
            listener.accept(new EventLogReader.LoggedEvent(event, new RecordPosition(r.topic(), r.partition(), r.offset()),
                    Instant.ofEpochMilli(r.timestamp())));
        } catch (RuntimeException e) {
            log.error("event log follower: the listener failed on {}; going on", event.id(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
