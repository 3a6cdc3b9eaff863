package io.vmclone.schemas;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The three topics and their partition counts. Names are settings; the defaults below are the only
 * place the names are spelled.
 *
 * @param events     the ordered clone event log, keyed by clone
 * @param intake     external requests (CloudEvents of type {@link EventType#REQUEST})
 * @param deadLetter records that could not be decoded or processed, with the reason in headers
 */
public record Topics(String events, String intake, String deadLetter, int partitions) {
    public static final String DEFAULT_EVENTS = "vmclone.events";
    public static final String DEFAULT_INTAKE = "vmclone.intake";
    public static final String DEFAULT_DLQ = "vmclone.dlq";
    public static final int DEFAULT_PARTITIONS = 6;

    public static final String ENV_EVENTS = "VMCLONE_TOPIC_EVENTS";
    public static final String ENV_INTAKE = "VMCLONE_TOPIC_INTAKE";
    public static final String ENV_DLQ = "VMCLONE_TOPIC_DLQ";
    public static final String ENV_PARTITIONS = "VMCLONE_TOPIC_PARTITIONS";

    public Topics {
        if (partitions < 1) {
            throw new IllegalArgumentException(ENV_PARTITIONS + " must be at least 1, got " + partitions);
        }
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_EVENTS, DEFAULT_INTAKE, DEFAULT_DLQ, DEFAULT_PARTITIONS);
    }

    /** Reads the topic settings from an environment-like lookup (unset keys take the defaults). */
    public static Topics from(Function<String, String> env) {
        String partitions = env.apply(ENV_PARTITIONS);
        int count;
        try {
            count = partitions == null || partitions.isBlank() ? DEFAULT_PARTITIONS : Integer.parseInt(partitions.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_PARTITIONS + " must be a whole number, got '" + partitions + "'");
        }
        return new Topics(or(env.apply(ENV_EVENTS), DEFAULT_EVENTS), or(env.apply(ENV_INTAKE), DEFAULT_INTAKE),
                or(env.apply(ENV_DLQ), DEFAULT_DLQ), count);
    }

    public static Topics from(Map<String, String> env) {
        return from(env::get);
    }

    public List<String> all() {
        return List.of(events, intake, deadLetter);
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
