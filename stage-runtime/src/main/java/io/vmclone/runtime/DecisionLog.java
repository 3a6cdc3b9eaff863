package io.vmclone.runtime;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Succeeded;
import java.util.Optional;

/**
 * The one INFO line each clone decision gets, whichever stage makes it, with the clone's namespace, name and uid
 * (so that {@code grep <uid>} over every service's logs tells a clone's story): {@code requested}, {@code planned},
 * {@code rejected}, {@code succeeded}, {@code failed}, {@code cancel-requested}, {@code cancelled}. Progress is no
 * decision: it is logged at DEBUG.
 */
final class DecisionLog {
    private DecisionLog() {}

    /** The line for {@code event}, or empty for progress (and for an event without a clone). */
    static Optional<String> line(CloneEvent event) {
        CloneRef c = event.cloneRef();
        if (c == null) {
            return Optional.empty();
        }
        String detail = switch (event.type()) {
            case REQUEST, PROGRESSED -> null;
            case REQUESTED -> requested(event.data(Requested.class));
            case PLANNED -> {
                Planned p = event.data(Planned.class);
                yield "target VM " + p.targetName() + " with " + (p.dataVolumes() == null ? 0 : p.dataVolumes().size()) + " DataVolume(s)";
            }
            case REJECTED -> {
                Rejected r = event.data(Rejected.class);
                yield r.reason() + (r.field() == null ? "" : " " + r.field()) + ": " + r.message();
            }
            case SUCCEEDED -> "target VM " + event.data(Succeeded.class).targetName() + " ready";
            case FAILED -> {
                Failed f = event.data(Failed.class);
                yield f.reason() + ": " + f.message();
            }
            case CANCEL_REQUESTED -> "the clone was deleted before it finished";
            case CANCELLED -> "deleted " + event.data(Cancelled.class).deleted();
        };
        if (detail == null) {
            return Optional.empty();
        }
        return Optional.of("clone " + c.key() + " (uid " + c.uid() + ") " + event.type().slug() + ": " + detail);
    }

    private static String requested(Requested r) {
        String source = r.spec() == null || r.spec().source() == null ? "?" : r.spec().source().name();
        String requester = r.requester() == null || r.requester().username() == null ? "no requester"
                : "requester " + r.requester().username() + " (" + r.requester().decision() + ")";
        String channel = r.origin() == null ? "?" : r.origin().channel();
        return "source " + source + ", " + requester + ", via " + channel;
    }
}
