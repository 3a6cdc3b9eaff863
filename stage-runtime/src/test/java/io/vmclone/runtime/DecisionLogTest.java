package io.vmclone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.CloneEventData;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.events.Succeeded;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each decision's one INFO line names the clone by namespace, name and uid, and says what was decided. */
class DecisionLogTest {
    private static final CloneRef C = new CloneRef("team-a", "copy", "3f2a-uid");

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of(EventType.REQUESTED, new Requested(C, 1L, CloneSpec.of("fedora", "fedora-2"),
                        new Requester("alice", List.of("devs"), "allowed", null), Origin.resource()),
                        "requested: source fedora, requester alice (allowed), via resource"),
                Arguments.of(EventType.PLANNED, new Planned(C, "fedora-2", null, List.of(), List.of()),
                        "planned: target VM fedora-2 with 0 DataVolume(s)"),
                Arguments.of(EventType.REJECTED, new Rejected(C, "planner", "SourceNotFound", "spec.source.name", "not found", null),
                        "rejected: SourceNotFound spec.source.name: not found"),
                Arguments.of(EventType.SUCCEEDED, new Succeeded(C, "fedora-2", List.of()), "succeeded: target VM fedora-2 ready"),
                Arguments.of(EventType.FAILED, new Failed(C, "executor", "Stalled", "no progress for 10m", "fedora-2"),
                        "failed: Stalled: no progress for 10m"),
                Arguments.of(EventType.CANCEL_REQUESTED, new CancelRequested(C), "cancel-requested: the clone was deleted"),
                Arguments.of(EventType.CANCELLED, new Cancelled(C, List.of("VirtualMachine/fedora-2")),
                        "cancelled: deleted [VirtualMachine/fedora-2]"));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void aDecisionIsOneLineWithTheClonesIdentity(EventType type, CloneEventData data, String says) {
        String line = DecisionLog.line(CloneEvent.of("planner", type, data, OffsetDateTime.now(), null)).orElseThrow();
        assertThat(line).startsWith("clone team-a/copy (uid 3f2a-uid) ").contains(says);
    }

    @Test
    void progressIsNoDecision() {
        CloneEvent progress = CloneEvent.of("executor", EventType.PROGRESSED,
                new Progressed(C, Progressed.CLONING_VOLUMES, "fedora-2", "45.20%", null), OffsetDateTime.now(), "45.20%");
        assertThat(DecisionLog.line(progress)).isEmpty();
    }
}
