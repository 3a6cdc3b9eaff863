package io.vmclone.bridge.intake;

import io.vmclone.bridge.auth.Identity;
import io.vmclone.schemas.events.CloneRequest;

/**
 * A decoded request from outside (Kafka intake or HTTP).
 *
 * @param channel   {@link io.vmclone.schemas.events.Origin#INTAKE} or {@link io.vmclone.schemas.events.Origin#HTTP}
 * @param requester who the request acts for (token owner, or the {@code requester} extension); null = the channel's own trust
 * @param record    the intake record it came in ({@code topic-partition@offset}); null over HTTP
 */
public record ExternalRequest(String channel, String source, String id, CloneRequest request, Identity requester, String record) {
    /** A request that came in no intake record (HTTP). */
    public ExternalRequest(String channel, String source, String id, CloneRequest request, Identity requester) {
        this(channel, source, id, request, requester, null);
    }

    /** The clone's name: the one asked for, or one derived from source + id. */
    public String cloneName() {
        return request.name() != null ? request.name() : RequestKeys.cloneName(source, id);
    }
}
