package io.vmclone.bridge;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CloneRequest;
import java.net.URI;
import java.time.OffsetDateTime;

/** External clone requests as a client would send them. */
final class Requests {
    static final URI SOURCE = URI.create("/tests/ticketing");

    private Requests() {}

    static CloneEvent request(String id, String name, CloneSpec spec, String requester) {
        return new CloneEvent(id, SOURCE, EventType.REQUEST, OffsetDateTime.now(),
                new CloneRequest(BridgeFixture.NS, name, spec), requester);
    }

    static CloneEvent request(String id, CloneSpec spec) {
        return request(id, null, spec, null);
    }
}
