package io.vmclone.schemas;

import io.vmclone.schemas.events.CloneEventData;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A decoded CloudEvent of the pipeline: its attributes plus typed {@code data}.
 *
 * @param requester       the {@code requester} extension, for external requests acting for a user
 * @param requesterGroups the {@code requestergroups} extension as sent (comma-separated groups the sender asserts for
 *                        the requester), or null; the bridge decides which a sender may assert
 */
public record CloneEvent(String id, URI source, EventType type, OffsetDateTime time, Object data, String requester,
                         String requesterGroups) {
    /** An event without asserted groups (every event but an external request naming them). */
    public CloneEvent(String id, URI source, EventType type, OffsetDateTime time, Object data, String requester) {
        this(id, source, type, time, data, requester, null);
    }

    public CloneEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (!type.dataClass().isInstance(data)) {
            throw new IllegalArgumentException(type + " carries " + type.dataClass().getSimpleName()
                    + ", not " + data.getClass().getSimpleName());
        }
    }

    /**
     * An event about a clone, with a deterministic id: {@code <uid or key>/<type>[/<discriminator>]}, so a
     * replayed decision produces the same id and consumers can recognise the duplicate.
     */
    public static CloneEvent of(String stage, EventType type, CloneEventData data, OffsetDateTime time, String discriminator) {
        CloneRef clone = data.cloneRef();
        String base = clone.uid() != null ? clone.uid() : clone.key();
        String id = base + "/" + type.slug() + (discriminator == null ? "" : "/" + discriminator);
        return new CloneEvent(id, sourceOf(stage), type, time, data, null);
    }

    public static URI sourceOf(String stage) {
        return URI.create("/vmclone/" + stage);
    }

    /** The clone this event is about, or null for an external {@link EventType#REQUEST}. */
    public CloneRef cloneRef() {
        return data instanceof CloneEventData d ? d.cloneRef() : null;
    }

    public <T> T data(Class<T> type) {
        return type.cast(data);
    }
}
