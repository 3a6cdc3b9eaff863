package io.vmclone.cli.render;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import java.util.List;
import java.util.stream.Collectors;

/** One line saying what an event means, for the audit timeline and the sandbox. */
public final class EventSummary {
    private EventSummary() {}

    public static String of(CloneEvent event) {
        Object data = event.data();
        if (data instanceof Requested r) {
            return "clone of " + source(r.spec()) + " -> " + target(r.spec()) + " requested"
                    + (r.origin() == null || r.origin().channel() == null ? "" : " via " + r.origin().channel());
        }
        if (data instanceof CloneRequest r) {
            return "external request: " + r.namespace() + "/" + (r.name() == null ? "(derived name)" : r.name())
                    + ", " + source(r.spec()) + " -> " + target(r.spec());
        }
        if (data instanceof Planned p) {
            return "planned target " + p.targetName() + ": " + p.dataVolumes().size() + " DataVolume(s), "
                    + p.changes().size() + " change(s)";
        }
        if (data instanceof Rejected r) {
            boolean named = r.field() == null || (r.message() != null && r.message().startsWith(r.field()));
            return "rejected (" + r.reason() + ") " + (named ? "" : r.field() + ": ") + r.message();
        }
        if (data instanceof Progressed p) {
            return p.phase() + (p.progress() == null ? "" : " " + p.progress()) + volumes(p.volumes());
        }
        if (data instanceof Succeeded s) {
            return "succeeded: VM " + s.targetName() + " ready" + (s.volumes() == null ? "" : ", " + s.volumes().size() + " volume(s) copied");
        }
        if (data instanceof Failed f) {
            return "failed (" + f.reason() + ") in " + f.stage() + ": " + f.message();
        }
        if (data instanceof CancelRequested) {
            return "clone deleted before it finished: cancel requested";
        }
        if (data instanceof Cancelled c) {
            return "cancelled" + (c.deleted() == null || c.deleted().isEmpty() ? "" : ", removed " + String.join(", ", c.deleted()));
        }
        return event.type().slug();
    }

    /** Who asked: the {@code requester} extension, else the requester recorded on {@code requested}. */
    public static String requester(CloneEvent event) {
        if (event.requester() != null) {
            return event.requester();
        }
        if (event.data() instanceof Requested r && r.requester() != null) {
            String user = r.requester().username();
            String decision = r.requester().decision();
            if (user == null) {
                return decision == null ? "" : decision;
            }
            return user + (decision == null ? "" : " (" + decision + ")");
        }
        return "";
    }

    private static String source(CloneSpec spec) {
        if (spec == null || spec.source() == null) {
            return "?";
        }
        return (CloneSpec.KIND_SNAPSHOT.equals(spec.source().kind()) ? "snapshot " : "VM ") + spec.source().name();
    }

    private static String target(CloneSpec spec) {
        return spec == null || spec.target() == null || spec.target().name() == null ? "(generated name)" : spec.target().name();
    }

    private static String volumes(List<VolumeProgress> volumes) {
        if (volumes == null || volumes.isEmpty()) {
            return "";
        }
        return " (" + volumes.stream().map(v -> ProgressView.volume(v.volume(), v.phase(), v.progress(), v.strategy(), v.fallbackReason(),
                v.message())).collect(Collectors.joining(", ")) + ")";
    }
}
