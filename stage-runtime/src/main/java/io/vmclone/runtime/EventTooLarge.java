package io.vmclone.runtime;

/**
 * A decision whose event would not fit in one Kafka record. Retrying cannot help (the same input gives the
 * same event), so the stage gives up on that record at once instead of aborting its transaction forever.
 */
public final class EventTooLarge extends RuntimeException {
    public EventTooLarge(String type, long bytes, int limit) {
        super("the " + type + " event would be " + bytes + " bytes, above the event log's limit of " + limit
                + " bytes per record (" + StageSettings.ENV_MAX_EVENT_BYTES + ")");
    }
}
