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
}
