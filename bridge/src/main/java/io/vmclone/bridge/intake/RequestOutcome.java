package io.vmclone.bridge.intake;

import io.vmclone.schemas.CloneRef;

/** What became of an external request. */
public sealed interface RequestOutcome {
    /** The clone was made now, for this request. */
    record Accepted(CloneRef cloneRef) implements RequestOutcome {}

    /**
     * The same request (source + id, same body) was accepted before: nothing new is made.
     *
     * @param original   the clone it became (it may have been deleted since)
     * @param phase      the clone's phase as last seen, or null
     * @param sameRecord this is the very intake record that made it, handled again (a rolled-back transaction, a
     *                   restart before the commit): not a replay by the sender
     */
    record Replayed(CloneRef original, String phase, boolean sameRecord) implements RequestOutcome {}

    /**
     * Refused; nothing was created.
     *
     * @param original for a conflicting duplicate: the clone the earlier request with this source + id became
     */
    record Refused(Kind kind, String reason, String field, String message, CloneRef original) implements RequestOutcome {
        public Refused(Kind kind, String reason, String field, String message) {
            this(kind, reason, field, message, null);
        }
    }

    enum Kind {
        /** The request is invalid (field + what is wrong). */
        INVALID,
        /** The requester may not do this (the missing permission). */
        FORBIDDEN,
        /** The same request id was used for a different request, or the name is taken. */
        CONFLICT
    }
}
