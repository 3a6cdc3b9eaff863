package io.vmclone.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.CloneRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestCheckTest {
    private final RequestCheck anyNamespace = new RequestCheck(List.of());

    @Test
    void validRequestPasses() {
        assertThat(anyNamespace.check(new CloneRequest("default", "my-clone", CloneSpec.of("web", "copy")))).isEmpty();
        assertThat(anyNamespace.check(new CloneRequest("default", null, CloneSpec.of("web", null)))).isEmpty();
    }

    @Test
    void namespaceMustBeServedByThisBridge() {
        RequestCheck check = new RequestCheck(List.of("team-a"));
        Refused r = check.check(new CloneRequest("team-b", null, CloneSpec.of("web", "copy"))).orElseThrow();
        assertThat(r.kind()).isEqualTo(Kind.INVALID);
        assertThat(r.field()).isEqualTo("data.namespace");
        assertThat(r.message()).contains("team-b").contains("team-a");
        assertThat(check.check(new CloneRequest("team-a", null, CloneSpec.of("web", "copy")))).isEmpty();
    }

    @Test
    void nameMustBeADnsLabel() {
        Refused r = anyNamespace.check(new CloneRequest("default", "Bad_Name", CloneSpec.of("web", "copy"))).orElseThrow();
        assertThat(r.field()).isEqualTo("data.name");
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_REQUEST);
    }

    @Test
    void specViolationsNameTheFieldInTheEvent() {
        Refused r = anyNamespace.check(new CloneRequest("default", null, CloneSpec.of("web", "web"))).orElseThrow();
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.field()).isEqualTo("data.spec.target.name");
        assertThat(r.message()).contains("cannot be equal to source name");

        Refused missing = anyNamespace.check(new CloneRequest("default", null, null)).orElseThrow();
        assertThat(missing.field()).isEqualTo("data.spec");
    }

    /** source + id within our limits: (source, id, refused field or null, phrase of the message). */
    record Identity(String source, String id, String field, String message) {}

    static List<Identity> identities() {
        return List.of(
                new Identity("/ticketing", "ticket-4711", null, null),
                new Identity("/ticketing", "x".repeat(RequestCheck.MAX_ID), null, null),
                new Identity("/ticketing", "x".repeat(RequestCheck.MAX_ID + 1), "id", "at most 256 characters"),
                new Identity("/ticketing", "\u0001".repeat(200_000), "id", "at most 256 characters"),
                new Identity("/ticketing", "ticket-\u0007", "id", "control characters"),
                new Identity("/ticketing", "", "id", "may not be empty"),
                new Identity("/ticket\ning", "t-1", "source", "control characters"),
                new Identity("/" + "s".repeat(RequestCheck.MAX_SOURCE), "t-1", "source", "at most 1024 characters"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("identities")
    void theRequestsIdentityIsBoundedAndVisible(Identity c) {
        var refused = RequestCheck.checkIdentity(c.source(), c.id());
        if (c.field() == null) {
            assertThat(refused).isEmpty();
            return;
        }
        assertThat(refused).hasValueSatisfying(r -> {
            assertThat(r.field()).isEqualTo(c.field());
            assertThat(r.reason()).isEqualTo(Reasons.INVALID_REQUEST);
            assertThat(r.message()).contains(c.message()).hasSizeLessThan(200);
        });
    }
}
