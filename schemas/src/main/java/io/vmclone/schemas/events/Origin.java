package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Which door a request came through.
 *
 * @param channel     {@code resource} (a VirtualMachineClone), {@code intake} (Kafka) or {@code http}
 * @param eventSource the originating CloudEvent's {@code source}, for external requests
 * @param eventId     the originating CloudEvent's {@code id}, for external requests
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Origin(String channel, String eventSource, String eventId) {
    public static final String RESOURCE = "resource";
    public static final String INTAKE = "intake";
    public static final String HTTP = "http";

    public static Origin resource() {
        return new Origin(RESOURCE, null, null);
    }
}
