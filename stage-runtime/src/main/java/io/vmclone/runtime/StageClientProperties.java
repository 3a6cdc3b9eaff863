package io.vmclone.runtime;

import java.util.Properties;

/** The Kafka client settings of a stage: a read_committed consumer and a transactional, idempotent producer. */
final class StageClientProperties {
    private StageClientProperties() {
    }

    static Properties consumer(StageSettings settings) {
        Properties p = settings.kafkaCommon();
        p.put("group.id", settings.groupId());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", "200");
        return p;
    }

    static Properties producer(StageSettings settings) {
        Properties p = settings.kafkaCommon();
        p.put("transactional.id", settings.groupId() + "-" + settings.instanceId());
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", "2");
        p.put("transaction.timeout.ms", Long.toString(TransactionBudget.timeoutMillis(settings)));
        return p;
    }
}
