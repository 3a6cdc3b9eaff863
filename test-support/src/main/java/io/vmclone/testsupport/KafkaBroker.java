package io.vmclone.testsupport;

/** A real Kafka broker for tests and the sandbox: in-JVM KRaft, or a Testcontainers container. */
public interface KafkaBroker extends AutoCloseable {
    String bootstrapServers();

    /** How it runs, for logs: {@code embedded-kraft} or {@code testcontainers}. */
    String kind();

    /** Stops and restarts the broker in place (same address, same data), for fault-injection tests. */
    void restart() throws Exception;

    @Override
    void close();

    /**
     * Testcontainers' Kafka when a Docker engine answers, else an in-JVM KRaft broker. Force one with
     * {@code VMCLONE_TEST_KAFKA=embedded|container}.
     */
    static KafkaBroker start() {
        String choice = System.getenv().getOrDefault("VMCLONE_TEST_KAFKA", "auto");
        boolean container = switch (choice) {
            case "container" -> true;
            case "embedded" -> false;
            default -> ContainerKafkaBroker.dockerAvailable();
        };
        return container ? ContainerKafkaBroker.start() : EmbeddedKafkaBroker.start();
    }
}
