package io.vmclone.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;

/** Binds a stage's Kafka consumer metrics (consumer lag {@code kafka.consumer.fetch.manager.records.lag.max}, fetch rates). */
final class ConsumerMetrics {
    private ConsumerMetrics() {}

    static AutoCloseable bind(Consumer<?, ?> consumer, MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }

    static void close(AutoCloseable metrics) {
        if (metrics != null) {
            try {
                metrics.close();
            } catch (Exception e) {
                // metrics only: nothing to do
            }
        }
    }
}
