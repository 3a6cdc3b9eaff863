package io.vmclone.bridge.intake;

import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.bridge.intake.RequestOutcome.Replayed;
import io.vmclone.runtime.RecordPosition;
import io.vmclone.runtime.RejectedRecord;
import io.vmclone.runtime.TransientFailure;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Origin;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Requests from the Kafka intake topic. A valid one becomes a VirtualMachineClone (whose watcher then
 * emits {@code requested}); a refused one is thrown back to the runtime as a {@link RejectedRecord}, so
 * the record is dead-lettered and a {@code rejected} event is written in the same transaction.
 */
public final class IntakeConsumer {
    private final RequestIntake intake;
    private final IntakeTrust trust;
    private final IntakeRejections rejections;
    private final Clock clock;

    public IntakeConsumer(RequestIntake intake, IntakeTrust trust, IntakeRejections rejections, Clock clock) {
        this.intake = intake;
        this.trust = trust;
        this.rejections = rejections;
        this.clock = clock;
    }

    /**
     * A replay of a request accepted before is answered with a {@code rejected} naming the original clone (not
     * dead-lettered: nothing is wrong with the record); the same record handled again gets no answer, since its
     * sender sent it once.
     */
    public List<CloneEvent> handle(CloneEvent event, RecordPosition position) throws TransientFailure {
        CloneRequest request = event.data(CloneRequest.class);
        String source = event.source().toString();
        String record = position.toString();
        RequestOutcome outcome = submit(event, request, source, record);
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (outcome instanceof Refused refused) {
            throw new RejectedRecord(refused.field() + ": " + refused.message(),
                    List.of(rejections.refused(request.namespace(), source, event.id(), refused, record, now)));
        }
        if (outcome instanceof Replayed replayed && !replayed.sameRecord()) {
            return List.of(rejections.duplicate(request.namespace(), source, event.id(), replayed, record, now));
        }
        return List.of(); // the clone resource exists: the watcher emits requested
    }

    /**
     * Whom the request acts for is settled first (after its source and id are known to be sound, since the rule
     * reads the source): a request that may not be made as sent is refused before its content is looked at.
     */
    private RequestOutcome submit(CloneEvent event, CloneRequest request, String source, String record) throws TransientFailure {
        var badIdentity = RequestCheck.checkIdentity(source, event.id());
        if (badIdentity.isPresent()) {
            return badIdentity.get();
        }
        IntakeTrust.Ruling ruling = trust.rule(source, event.requester(), event.requesterGroups());
        if (ruling instanceof IntakeTrust.Refusal refusal) {
            return refusal.refused();
        }
        // Trusted: no requester, the request acts on its source's authority (RequestIntake records it so).
        var requester = ruling instanceof IntakeTrust.ActsFor actsFor ? actsFor.requester() : null;
        return intake.submit(new ExternalRequest(Origin.INTAKE, source, event.id(), request, requester, record));
    }
}
