package io.vmclone.cli;

import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.Topics;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the event log is: {@code --bootstrap-servers} or {@code KAFKA_BOOTSTRAP_SERVERS}; topic names from
 * the flags or the services' {@code VMCLONE_TOPIC_*} variables. Other {@code KAFKA_*} variables (TLS,
 * SASL) pass through to the client as the services' do.
 */
public final class KafkaOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--events-topic", paramLabel = "TOPIC", description = "The clone event log (default: $VMCLONE_TOPIC_EVENTS or vmclone.events).")
    String eventsTopic;

    @Option(names = "--intake-topic", paramLabel = "TOPIC", description = "External requests (default: $VMCLONE_TOPIC_INTAKE or vmclone.intake).")
    String intakeTopic;

    public StageSettings settings(String client) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (bootstrapServers != null) {
            env.put(StageSettings.ENV_BOOTSTRAP, bootstrapServers);
        }
        if (env.getOrDefault(StageSettings.ENV_BOOTSTRAP, "").isBlank()) {
            throw new UsageException("--bootstrap-servers: required (or set KAFKA_BOOTSTRAP_SERVERS)");
        }
        if (eventsTopic != null) {
            env.put(Topics.ENV_EVENTS, eventsTopic);
        }
        if (intakeTopic != null) {
            env.put(Topics.ENV_INTAKE, intakeTopic);
        }
        try {
            return StageSettings.from("vmclone-" + client, env);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
