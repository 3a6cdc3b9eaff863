package io.vmclone.schemas;

import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Succeeded;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every CloudEvent type the pipeline speaks. The only place these strings are spelled.
 * {@link #REQUEST} is the external intake request; every other type lives on the clone event log.
 */
public enum EventType {
    REQUEST("request", CloneRequest.class, false),
    REQUESTED("requested", Requested.class, false),
    PLANNED("planned", Planned.class, false),
    REJECTED("rejected", Rejected.class, true),
    PROGRESSED("progressed", Progressed.class, false),
    SUCCEEDED("succeeded", Succeeded.class, true),
    FAILED("failed", Failed.class, true),
    CANCEL_REQUESTED("cancel-requested", CancelRequested.class, false),
    CANCELLED("cancelled", Cancelled.class, true);

    public static final String TYPE_PREFIX = "io.vmclone.clone.";
    public static final String SCHEMA_BASE = "https://vmclone.io/schemas/events/v1/";

    private final String slug;
    private final Class<?> dataClass;
    private final boolean terminal;

    EventType(String slug, Class<?> dataClass, boolean terminal) {
        this.slug = slug;
        this.dataClass = dataClass;
        this.terminal = terminal;
    }

    /** The CloudEvent {@code type} attribute, e.g. {@code io.vmclone.clone.planned}. */
    public String type() {
        return TYPE_PREFIX + slug;
    }

    public String slug() {
        return slug;
    }

    /** The CloudEvent {@code dataschema} attribute; also the JSON Schema's {@code $id}. */
    public URI dataschema() {
        return URI.create(SCHEMA_BASE + slug + ".json");
    }

    public Class<?> dataClass() {
        return dataClass;
    }

    /** True for types after which nothing more happens to the clone. */
    public boolean terminal() {
        return terminal;
    }

    public static Optional<EventType> fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type().equals(type)).findFirst();
    }
}
