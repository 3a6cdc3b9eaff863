package io.vmclone.cli;

import io.vmclone.runtime.StageSettings;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before the CLI reads or writes a topic: a broker that does not answer, or a topic that is not there, said in
 * plain words within seconds, instead of the Kafka client's "topic not present in metadata" after its own timeout.
 */
final class KafkaReach {
    static final int TIMEOUT_SECONDS = 5;

    private KafkaReach() {}

    /** Fails with a {@link ClusterErrors.ClusterFailure} naming the brokers, or the topic, that is missing. */
    static void require(StageSettings settings, String topic) {
        Properties p = settings.kafkaCommon();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        String brokers = p.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(p)) {
            try {
                admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new ClusterErrors.ClusterFailure("no Kafka broker answered at " + brokers + " within " + TIMEOUT_SECONDS
                        + " s (--bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS; TLS/SASL settings from KAFKA_*)", e);
            }
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new ClusterErrors.ClusterFailure("topic " + topic + " does not exist on " + brokers
                            + " (is the pipeline deployed there? --events-topic / --intake-topic name another)", e);
                }
                // not allowed to describe it, say: the read or write itself will tell
            } catch (TimeoutException e) {
                // answered a moment ago: let the read or write itself time out with its own words
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterErrors.ClusterFailure("interrupted while reaching Kafka at " + brokers, e);
        }
    }
}
