package io.vmclone.runtime;

import io.vmclone.schemas.Topics;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Settings every stage reads, from environment variables, in one place. Bad values fail at start with
 * the variable's name and what is wrong. See docs/configuration.md.
 *
 * @param kafkaPassThrough every {@code KAFKA_*} variable other than the bootstrap servers, turned into a
 *                         client property ({@code KAFKA_SECURITY_PROTOCOL} → {@code security.protocol}),
 *                         so TLS/SASL settings pass through untouched
 */
public record StageSettings(
        String service,
        String bootstrapServers,
        String groupId,
        String instanceId,
        Topics topics,
        short replicationFactor,
        String cloneGroup,
        List<String> namespaces,
        int httpPort,
        int maxAttempts,
        Duration maxBackoff,
        Map<String, String> kafkaPassThrough,
        Map<String, String> env) {

    public static final String ENV_BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String ENV_GROUP_ID = "VMCLONE_GROUP_ID";
    public static final String ENV_GROUP_PREFIX = "VMCLONE_GROUP_PREFIX";
    public static final String ENV_INSTANCE_ID = "VMCLONE_INSTANCE_ID";
    public static final String ENV_REPLICATION = "VMCLONE_TOPIC_REPLICATION_FACTOR";
    public static final String ENV_NAMESPACES = "VMCLONE_NAMESPACES";
    public static final String ENV_HTTP_PORT = "VMCLONE_HTTP_PORT";
    public static final String ENV_MAX_ATTEMPTS = "VMCLONE_MAX_ATTEMPTS";
    public static final String ENV_MAX_BACKOFF = "VMCLONE_MAX_BACKOFF_MS";
    /** How many clones the planner and executor handle at once (records of one clone stay in order). */
    public static final String ENV_CONCURRENCY = "VMCLONE_CONCURRENCY";

    /**
     * Largest event (value + key + headers) a stage produces. Kafka's producer refuses records above its
     * {@code max.request.size} (1 MiB by default) and the broker above {@code message.max.bytes}; a bigger
     * decision is given up at once (EventTooLarge), never retried forever.
     */
    public static final String ENV_MAX_EVENT_BYTES = "VMCLONE_MAX_EVENT_BYTES";

    /** {@value #ENV_MAX_EVENT_BYTES}: 1 KiB..64 MiB, default 1,000,000 (under Kafka's 1 MiB defaults). */
    public int maxEventBytes() {
        return intSetting(ENV_MAX_EVENT_BYTES, 1_000_000, 1024, 64 << 20);
    }

    /** {@value #ENV_CONCURRENCY}: 1..64, default 8. */
    public int concurrency() {
        return intSetting(ENV_CONCURRENCY, 8, 1, 64);
    }

    public static StageSettings from(String service, Map<String, String> env) {
        String bootstrap = env.get(ENV_BOOTSTRAP);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(ENV_BOOTSTRAP + " is required (host:port[,host:port])");
        }
        Map<String, String> passThrough = new java.util.TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("KAFKA_") && !k.equals(ENV_BOOTSTRAP)) {
                passThrough.put(k.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        String namespaces = env.getOrDefault(ENV_NAMESPACES, "");
        return new StageSettings(
                service,
                bootstrap.trim(),
                or(env.get(ENV_GROUP_ID), or(env.get(ENV_GROUP_PREFIX), "vmclone") + "-" + service),
                or(env.get(ENV_INSTANCE_ID), service + "-" + UUID.randomUUID().toString().substring(0, 8)),
                Topics.from(env),
                (short) intSetting(env, ENV_REPLICATION, 1, 1, 32),
                or(env.get(KubeResources.ENV_CLONE_GROUP), KubeResources.DEFAULT_CLONE_GROUP),
                Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                intSetting(env, ENV_HTTP_PORT, 8080, 0, 65535),
                intSetting(env, ENV_MAX_ATTEMPTS, 8, 1, 1000),
                Duration.ofMillis(intSetting(env, ENV_MAX_BACKOFF, 10_000, 1, 600_000)),
                Map.copyOf(passThrough),
                Map.copyOf(env));
    }

    /**
     * Settings for a run that shares the broker but nothing else: topics and consumer groups named after a
     * fresh random suffix (tests, the load driver). A mutable map, so callers can add their own settings.
     */
    public static Map<String, String> isolatedEnv(String bootstrapServers, String prefix, int partitions) {
        String run = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = new java.util.HashMap<>();
        env.put(ENV_BOOTSTRAP, bootstrapServers);
        env.put(ENV_GROUP_PREFIX, run);
        env.put(Topics.ENV_EVENTS, "events-" + run);
        env.put(Topics.ENV_INTAKE, "intake-" + run);
        env.put(Topics.ENV_DLQ, "dlq-" + run);
        env.put(Topics.ENV_PARTITIONS, String.valueOf(partitions));
        // A test bridge's HTTP door speaks plain HTTP, asked for by name (the default is TLS; the bridge's TLS test
        // sets certificate files instead).
        env.put("VMCLONE_BRIDGE_HTTP_PLAIN", "true");
        return env;
    }

    /** A setting specific to one service, e.g. {@code VMCLONE_EXECUTOR_STALL_TIMEOUT_SECONDS}. */
    public int intSetting(String name, int fallback, int min, int max) {
        return intSetting(env, name, fallback, min, max);
    }

    public String setting(String name, String fallback) {
        return or(env.get(name), fallback);
    }

    public StageSettings withService(String otherService) {
        return from(otherService, env);
    }

    /** Client properties common to consumers, producers and the admin client. */
    public Properties kafkaCommon() {
        Properties p = new Properties();
        p.putAll(kafkaPassThrough);
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", instanceId);
        return p;
    }

    static int intSetting(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Names only for the environment and Kafka pass-through: they may hold SASL passwords and must never reach a log. */
    @Override
    public String toString() {
        return "StageSettings[service=" + service + ", bootstrapServers=" + bootstrapServers + ", groupId=" + groupId
                + ", instanceId=" + instanceId + ", topics=" + topics + ", replicationFactor=" + replicationFactor
                + ", cloneGroup=" + cloneGroup + ", namespaces=" + namespaces + ", httpPort=" + httpPort
                + ", maxAttempts=" + maxAttempts + ", maxBackoff=" + maxBackoff
                + ", kafkaPassThrough=" + new java.util.TreeSet<>(kafkaPassThrough.keySet()) + ", env=<" + env.size() + " variables>]";
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
