package io.vmclone.bridge.intake;

import io.vmclone.schemas.CloneRef;

/** What became of an external request. */
public sealed interface RequestOutcome {
    /** The clone exists: made now ({@code created}) or by an earlier delivery of the same request. */
    record Accepted(CloneRef cloneRef, boolean created) implements RequestOutcome {}

    /** Refused; nothing was created. */
    record Refused(Kind kind, String reason, String field, String message) implements RequestOutcome {}

    enum Kind {
        /** The request is invalid (field + what is wrong). */
        INVALID,
        /** The requester may not do this (the missing permission). */
        FORBIDDEN,
        /** The same request id was used for a different request, or the name is taken. */
        CONFLICT
    }
}
