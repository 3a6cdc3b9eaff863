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
    REQUESTED("requested", Requested.class, false, Stages.BRIDGE),
    PLANNED("planned", Planned.class, false, Stages.PLANNER),
    REJECTED("rejected", Rejected.class, true, Stages.BRIDGE, Stages.PLANNER),
    PROGRESSED("progressed", Progressed.class, false, Stages.EXECUTOR),
    SUCCEEDED("succeeded", Succeeded.class, true, Stages.EXECUTOR),
    FAILED("failed", Failed.class, true, Stages.PLANNER, Stages.EXECUTOR),
    CANCEL_REQUESTED("cancel-requested", CancelRequested.class, false, Stages.BRIDGE),
    CANCELLED("cancelled", Cancelled.class, true, Stages.EXECUTOR);

    /** The stage names that emit events ({@code source} = {@code /vmclone/<stage>}, see {@link CloneEvent#sourceOf}). */
    public static final class Stages {
        public static final String BRIDGE = "bridge";
        public static final String PLANNER = "planner";
        public static final String EXECUTOR = "executor";

        private Stages() {}
    }

    public static final String TYPE_PREFIX = "io.vmclone.clone.";
    public static final String SCHEMA_BASE = "https://vmclone.io/schemas/events/v1/";

    private final String slug;
    private final Class<?> dataClass;
    private final boolean terminal;
    /** Sources allowed to emit this type on the clone log; empty for {@link #REQUEST} (external, any source). */
    private final java.util.Set<URI> producers;

    EventType(String slug, Class<?> dataClass, boolean terminal, String... producers) {
        this.slug = slug;
        this.dataClass = dataClass;
        this.terminal = terminal;
        this.producers = Arrays.stream(producers).map(CloneEvent::sourceOf).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * Whether an event of this type may come from {@code source}: only the stage that emits it does
     * (docs/events.md), so a {@code cancel-requested} that is not the bridge's is forged. Any source may send
     * a {@link #REQUEST} (the intake's own checks apply).
     */
    public boolean mayComeFrom(URI source) {
        return producers.isEmpty() || producers.contains(source);
    }

    /** The sources allowed to emit this type, for messages. */
    public java.util.Set<URI> producers() {
        return producers;
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
