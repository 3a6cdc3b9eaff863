package io.vmclone.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.MDC;

/**
 * Hands a poll's records to the {@link RecordProcessor} and returns the offsets to commit. With
 * {@link StageHandler#concurrency()} above 1, the records are grouped by key (one clone per key) and the groups
 * handled in parallel, each group in log order; outputs of one clone are therefore produced in order, across
 * clones in any order.
 */
final class RecordDispatcher implements AutoCloseable {
    private final RecordProcessor processor;
    private final String stage;
    private final BooleanSupplier running;
    /** Handles several clones of one poll at once; null when the handler takes one record at a time. */
    private final ExecutorService workers;

    RecordDispatcher(RecordProcessor processor, StageSettings settings, int concurrency, BooleanSupplier running) {
        this.processor = processor;
        this.stage = settings.service();
        this.running = running;
        this.workers = concurrency <= 1 ? null
                : Executors.newFixedThreadPool(concurrency, DaemonThreads.named("stage-" + stage + "-worker"));
    }

    Map<TopicPartition, OffsetAndMetadata> handleAll(ConsumerRecords<String, byte[]> records,
                                                     KafkaProducer<String, byte[]> producer) {
        if (workers == null || records.count() <= 1) {
            return inOrder(records, producer);
        }
        awaitAll(submitByClone(records, producer));
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            offsets.merge(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private Map<TopicPartition, OffsetAndMetadata> inOrder(ConsumerRecords<String, byte[]> records,
                                                           KafkaProducer<String, byte[]> producer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!running.getAsBoolean()) {
                break;
            }
            processor.process(record, producer);
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        return offsets;
    }

    private List<Future<?>> submitByClone(ConsumerRecords<String, byte[]> records, KafkaProducer<String, byte[]> producer) {
        Map<String, List<ConsumerRecord<String, byte[]>>> byClone = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byClone.computeIfAbsent(record.topic() + "/" + record.partition() + "/" + record.key(), k -> new ArrayList<>()).add(record);
        }
        List<Future<?>> tasks = new ArrayList<>();
        for (List<ConsumerRecord<String, byte[]>> group : byClone.values()) {
            tasks.add(workers.submit(() -> {
                MDC.put("stage", stage);
                for (ConsumerRecord<String, byte[]> record : group) {
                    processor.process(record, producer);
                }
                MDC.remove("stage");
            }));
        }
        return tasks;
    }

    /** Every task ends before this batch is committed or rolled back: none may send into the next transaction. */
    private static void awaitAll(List<Future<?>> tasks) {
        RuntimeException first = null;
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (ExecutionException e) {
                // What would have escaped the sequential loop escapes here too (an Error still ends the stage).
                RuntimeException failure = Failures.unwrap(e);
                first = first == null ? failure : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
