package io.vmclone.schemas;

/**
 * Machine-readable reasons carried by {@code rejected} and {@code failed} events and written to the
 * clone's {@code Ready} condition. One vocabulary for every stage.
 */
public final class Reasons {
    private Reasons() {}

    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String INVALID_REQUEST = "InvalidRequest";
    /**
     * An external request whose {@code source} + {@code id} was already accepted, with the same body: nothing new is
     * made; the {@code rejected} event names the clone the first delivery became ({@code original}).
     */
    public static final String DUPLICATE_REQUEST = "DuplicateRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String SOURCE_NOT_FOUND = "SourceNotFound";
    public static final String SOURCE_RUNNING = "SourceRunning";
    public static final String SOURCE_UNSUPPORTED = "SourceUnsupported";
    /** The source VirtualMachineSnapshot is not ready to use ({@code status.readyToUse} is not true). */
    public static final String SNAPSHOT_NOT_READY = "SnapshotNotReady";
    /**
     * The source snapshot's VirtualMachineSnapshotContent is missing or inconsistent (not this snapshot's, no VM,
     * a volume without backup); KubeVirt's clone controller fails such a clone with the event of this name.
     */
    public static final String SNAPSHOT_CONTENT_INVALID = "SnapshotContentInvalid";
    public static final String TARGET_EXISTS = "TargetExists";
    public static final String VOLUME_CLONE_FAILED = "VolumeCloneFailed";
    public static final String STALLED = "Stalled";
    public static final String APPLY_FAILED = "ApplyFailed";
    public static final String RETRIES_EXHAUSTED = "RetriesExhausted";
    /** The stage's decision would not fit in one event-log record (e.g. a source VM with megabytes of cloud-init). */
    public static final String EVENT_TOO_LARGE = "EventTooLarge";
    /** A plan that breaks the planner's invariants (forged or corrupted): the executor created nothing from it. */
    public static final String INVALID_PLAN = "InvalidPlan";
}
