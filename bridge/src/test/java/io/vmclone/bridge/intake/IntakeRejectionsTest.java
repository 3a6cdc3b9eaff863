package io.vmclone.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.runtime.UndecodableRecord;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.InvalidEventException;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Rejected;
import java.time.OffsetDateTime;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class IntakeRejectionsTest {
    private final IntakeRejections rejections = new IntakeRejections();
    private final OffsetDateTime now = OffsetDateTime.parse("2026-11-25T12:00:00Z");

    @Test
    void refusedRequestIsLoggedUnderItsNamespaceAndADerivedNameWithTheEventIdAsCorrelation() {
        CloneEvent e = rejections.refused("team-a", "/tickets", "t-1",
                new Refused(Kind.FORBIDDEN, Reasons.UNAUTHORIZED, "requester", "user 'bob' may not ..."), now);
        Rejected r = e.data(Rejected.class);
        assertThat(e.type()).isEqualTo(EventType.REJECTED);
        assertThat(r.cloneRef().namespace()).isEqualTo("team-a");
        assertThat(r.cloneRef().name()).isEqualTo(RequestKeys.rejectedName("/tickets", "t-1"));
        assertThat(r.cloneRef().uid()).isNull();
        assertThat(r.correlationId()).isEqualTo("t-1");
        assertThat(r.reason()).isEqualTo(Reasons.UNAUTHORIZED);
        assertThat(e.id()).isEqualTo(rejections.refused("team-a", "/tickets", "t-1",
                new Refused(Kind.FORBIDDEN, Reasons.UNAUTHORIZED, "requester", "x"), now).id());
    }

    @Test
    void unreadableNamespaceFallsBackToThePlaceholder() {
        Rejected r = rejections.refused("Not A Namespace", "/s", "i", new Refused(Kind.INVALID, Reasons.INVALID_REQUEST, "data.namespace", "bad"), now)
                .data(Rejected.class);
        assertThat(r.cloneRef().namespace()).isEqualTo(RequestKeys.UNKNOWN_NAMESPACE);
    }

    @Test
    void aRequestGivenUpOnIsRejectedWithTheCause() {
        CloneEvent request = new CloneEvent("t-3", java.net.URI.create("/tickets"), EventType.REQUEST, now,
                new io.vmclone.schemas.events.CloneRequest("team-a", null, io.vmclone.schemas.CloneSpec.of("web", "copy")), null);
        Rejected r = rejections.gaveUp(request, new IllegalStateException("API server said 403"), now).data(Rejected.class);
        assertThat(r.reason()).isEqualTo(Reasons.RETRIES_EXHAUSTED);
        assertThat(r.message()).contains("API server said 403");
        assertThat(r.correlationId()).isEqualTo("t-3");
        assertThat(r.cloneRef().name()).isEqualTo(RequestKeys.rejectedName("/tickets", "t-3"));
    }

    @Test
    void garbageIsLoggedUnderItsPosition() {
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>("intake", 2, 40L, "k", new byte[] {1, 2, 3});
        Rejected r = rejections.undecodable(new UndecodableRecord(garbage, new InvalidEventException("record", "is not a CloudEvent")), now)
                .data(Rejected.class);
        assertThat(r.cloneRef().namespace()).isEqualTo(RequestKeys.UNKNOWN_NAMESPACE);
        assertThat(r.cloneRef().name()).isEqualTo(RequestKeys.rejectedName("intake", 2, 40L));
        assertThat(r.correlationId()).isNull();
        assertThat(r.field()).isEqualTo("record");
        assertThat(r.message()).isEqualTo("is not a CloudEvent");
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_REQUEST);
    }
}
