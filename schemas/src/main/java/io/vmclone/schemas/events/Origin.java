package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Which door a request came through.
 *
 * @param channel     {@code resource} (a VirtualMachineClone), {@code intake} (Kafka) or {@code http}
 * @param eventSource the originating CloudEvent's {@code source}, for external requests
 * @param eventId     the originating CloudEvent's {@code id}, for external requests
 * @param digest      SHA-256 of the external request's canonical JSON: after its clone is gone, the log still tells
 *                    a replay of the request from a different request under the same {@code source} + {@code id}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Origin(String channel, String eventSource, String eventId, String digest) {
    public static final String RESOURCE = "resource";
    public static final String INTAKE = "intake";
    public static final String HTTP = "http";

    /** An origin without a digest (events logged before it was recorded, and tests). */
    public Origin(String channel, String eventSource, String eventId) {
        this(channel, eventSource, eventId, null);
    }

    public static Origin resource() {
        return new Origin(RESOURCE, null, null, null);
    }
}
