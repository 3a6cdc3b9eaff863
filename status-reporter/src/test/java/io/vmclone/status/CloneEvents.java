package io.vmclone.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.kube.CloneLabels;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Events of one clone's history as the stages emit them, at minute {@code m} after a fixed start. */
final class CloneEvents {
    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 25, 10, 0, 0, 0, ZoneOffset.UTC);

    final CloneRef clone;
    final String source;
    final String target;

    CloneEvents(CloneRef clone, String source, String target) {
        this.clone = clone;
        this.source = source;
        this.target = target;
    }

    static OffsetDateTime at(int minute) {
        return T0.plusMinutes(minute);
    }

    CloneEvent requested(int minute) {
        return CloneEvent.of("bridge", EventType.REQUESTED, new Requested(clone, 1L, CloneSpec.of(source, target),
                Requester.trusted(null, "test"), Origin.resource()), at(minute), null);
    }

    CloneEvent planned(int minute, String... volumes) {
        List<ObjectNode> dvs = java.util.Arrays.stream(volumes).map(v -> {
            ObjectNode dv = Json.MAPPER.createObjectNode().put("apiVersion", "cdi.kubevirt.io/v1beta1").put("kind", "DataVolume");
            ObjectNode meta = dv.putObject("metadata");
            meta.put("name", target + "-" + v);
            meta.putObject("annotations").put(CloneLabels.VOLUME, v);
            return dv;
        }).toList();
        ObjectNode vm = Json.MAPPER.createObjectNode().put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        vm.putObject("metadata").put("name", target);
        return CloneEvent.of("planner", EventType.PLANNED, new Planned(clone, target, vm, dvs, List.of("MAC addresses reset")),
                at(minute), null);
    }

    CloneEvent creatingTarget(int minute) {
        return CloneEvent.of("executor", EventType.PROGRESSED,
                new Progressed(clone, Progressed.CREATING_TARGET_VM, target, null, null), at(minute), "creating");
    }

    /** Every volume at {@code percent}. */
    CloneEvent progressed(int minute, double percent, String... volumes) {
        String p = String.format(java.util.Locale.ROOT, "%.2f%%", percent);
        List<VolumeProgress> vs = java.util.Arrays.stream(volumes)
                .map(v -> new VolumeProgress(v, target + "-" + v, "CloneInProgress", p)).toList();
        return CloneEvent.of("executor", EventType.PROGRESSED, new Progressed(clone, Progressed.CLONING_VOLUMES, target, p, vs),
                at(minute), UUID.randomUUID().toString());
    }

    /** The executor's report as it is: the overall progress and each volume as given. */
    CloneEvent progressedVolumes(int minute, String overall, VolumeProgress... volumes) {
        return CloneEvent.of("executor", EventType.PROGRESSED, new Progressed(clone, Progressed.CLONING_VOLUMES, target, overall,
                List.of(volumes)), at(minute), UUID.randomUUID().toString());
    }

    CloneEvent succeeded(int minute, String... volumes) {
        List<VolumeProgress> vs = java.util.Arrays.stream(volumes)
                .map(v -> new VolumeProgress(v, target + "-" + v, "Succeeded", "100.0%")).toList();
        return CloneEvent.of("executor", EventType.SUCCEEDED, new Succeeded(clone, target, vs), at(minute), null);
    }

    CloneEvent rejectedByBridge(int minute, String field, String message) {
        return CloneEvent.of("bridge", EventType.REJECTED, new Rejected(clone, "bridge", Reasons.INVALID_SPEC, field, message, null),
                at(minute), null);
    }

    CloneEvent rejectedByPlanner(int minute, String reason, String field, String message) {
        return CloneEvent.of("planner", EventType.REJECTED, new Rejected(clone, "planner", reason, field, message, null),
                at(minute), null);
    }

    CloneEvent failed(int minute, String reason, String message) {
        return CloneEvent.of("executor", EventType.FAILED, new Failed(clone, "executor", reason, message, target), at(minute), null);
    }

    CloneEvent cancelled(int minute) {
        return CloneEvent.of("executor", EventType.CANCELLED, new Cancelled(clone, List.of("VirtualMachine/" + target)),
                at(minute), null);
    }
}
