package io.vmclone.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.runtime.RecordPosition;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.ClonePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusBufferTest {
    private static final CloneRef A = new CloneRef("ns", "a", "uid-a");
    private static final CloneRef B = new CloneRef("ns", "b", "uid-b");
    private static final CloneEvents EA = new CloneEvents(A, "vm", "a-copy");
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private final StatusBuffer buffer = new StatusBuffer(Duration.ofSeconds(1));
    private long offset;

    @Test
    void aCloneNeverWrittenIsDueAtOnce() {
        buffer.add(A, logged(EA.requested(0)));
        buffer.add(A, logged(EA.planned(1, "root")));

        assertThat(buffer.takeDue(T)).containsOnlyKeys(A).extractingByKey(A).asList().hasSize(2);
        assertThat(buffer.waiting()).isFalse();
    }

    @Test
    void progressInTheWrittenPhaseWaitsForTheInterval() {
        buffer.wrote(A, ClonePhase.CloningVolumes, T);
        buffer.add(A, logged(EA.progressed(2, 10, "root")));
        buffer.add(A, logged(EA.progressed(2, 20, "root")));

        assertThat(buffer.takeDue(T.plusMillis(400))).isEmpty();
        assertThat(buffer.waiting()).isTrue();
        assertThat(buffer.takeDue(T.plusMillis(1000))).extractingByKey(A).asList().hasSize(2);
        assertThat(buffer.waiting()).isFalse();
    }

    @Test
    void theTimerLeavesTheBatchBeingHandledAlone() {
        buffer.add(A, logged(EA.requested(0)));
        assertThat(buffer.takeWaited(T)).isEmpty(); // fresh events are the batch's: beforeCommit writes them

        buffer.wrote(A, ClonePhase.CloningVolumes, T);
        buffer.add(A, logged(EA.progressed(2, 10, "root")));
        buffer.takeDue(T); // requested + progress: due at once
        buffer.add(A, logged(EA.progressed(3, 20, "root")));
        buffer.wrote(A, ClonePhase.CloningVolumes, T);
        assertThat(buffer.takeDue(T.plusMillis(10))).isEmpty(); // now waiting
        assertThat(buffer.takeWaited(T.plusMillis(500))).isEmpty();
        assertThat(buffer.takeWaited(T.plusMillis(1000))).extractingByKey(A).asList().hasSize(1);
    }

    @Test
    void aFailedWriteIsRetriedByTheTimer() {
        LoggedEvent e = logged(EA.requested(0));
        buffer.add(A, e);
        var taken = buffer.takeDue(T);
        buffer.restore(A, taken.get(A));
        assertThat(buffer.takeWaited(T.plusMillis(1))).extractingByKey(A).asList().containsExactly(e);
    }

    @Test
    void aPhaseChangeNeverWaits() {
        buffer.wrote(A, ClonePhase.Planned, T);
        buffer.add(A, logged(EA.progressed(2, 0, "root"))); // Planned → CloningVolumes
        assertThat(buffer.takeDue(T.plusMillis(1))).containsOnlyKeys(A);

        buffer.wrote(A, ClonePhase.CloningVolumes, T);
        buffer.add(A, logged(EA.progressed(3, 10, "root")));
        buffer.add(A, logged(EA.succeeded(4, "root"))); // the waiting progress goes out with the outcome
        assertThat(buffer.takeDue(T.plusMillis(2))).extractingByKey(A).asList().hasSize(2);
    }

    @Test
    void clonesWaitIndependently() {
        CloneEvents eb = new CloneEvents(B, "vm", "b-copy");
        buffer.wrote(A, ClonePhase.CloningVolumes, T);
        buffer.add(A, logged(EA.progressed(2, 10, "root")));
        buffer.add(B, logged(eb.requested(0)));

        assertThat(buffer.takeDue(T.plusMillis(10))).containsOnlyKeys(B);
    }

    @Test
    void aRecordHandledTwiceIsHeldOnce() {
        LoggedEvent e = logged(EA.requested(0));
        buffer.add(A, e);
        buffer.restore(A, List.of(e));
        assertThat(buffer.takeDue(T)).extractingByKey(A).asList().hasSize(1);
    }

    @Test
    void afterATerminalWriteOrAGoneCloneNothingWaits() {
        buffer.wrote(A, ClonePhase.Succeeded, T);
        buffer.add(A, logged(EA.progressed(9, 10, "root")));
        assertThat(buffer.takeDue(T.plusMillis(1))).containsOnlyKeys(A);

        buffer.wrote(A, ClonePhase.CloningVolumes, T);
        buffer.add(A, logged(EA.progressed(9, 10, "root")));
        buffer.forget(A);
        assertThat(buffer.waiting()).isFalse();
    }

    private LoggedEvent logged(CloneEvent e) {
        return new LoggedEvent(e, new RecordPosition("events", 0, offset++));
    }
}
