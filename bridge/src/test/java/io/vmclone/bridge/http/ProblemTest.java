package io.vmclone.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Reasons;
import org.junit.jupiter.api.Test;

class ProblemTest {
    @Test
    void refusalsMapToStatusesAndKeepTheField() throws Exception {
        assertThat(Problem.of(new Refused(Kind.INVALID, Reasons.INVALID_SPEC, "data.spec.x", "bad")).status()).isEqualTo(400);
        assertThat(Problem.of(new Refused(Kind.FORBIDDEN, Reasons.UNAUTHORIZED, "requester", "may not")).status()).isEqualTo(403);
        Problem conflict = Problem.of(new Refused(Kind.CONFLICT, Reasons.INVALID_REQUEST, "id", "used before"));
        assertThat(conflict.status()).isEqualTo(409);

        JsonNode json = Json.MAPPER.readTree(conflict.toJson());
        assertThat(json.path("type").asText()).isEqualTo("https://vmclone.io/problems/conflict");
        assertThat(json.path("title").asText()).isNotBlank();
        assertThat(json.path("status").asInt()).isEqualTo(409);
        assertThat(json.path("detail").asText()).isEqualTo("used before");
        assertThat(json.path("field").asText()).isEqualTo("id");
        assertThat(json.path("reason").asText()).isEqualTo(Reasons.INVALID_REQUEST);
    }

    @Test
    void tooLargeNamesTheLimitAndOmitsEmptyMembers() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Problem.tooLarge(1024).toJson());
        assertThat(json.path("status").asInt()).isEqualTo(413);
        assertThat(json.path("detail").asText()).contains("1024");
        assertThat(json.has("reason")).isFalse();
    }

    @Test
    void acceptedBodyPointsAtTheCloneResource() {
        AcceptedBody body = AcceptedBody.of(new CloneRef("ns", "c1", "u"), "vmclone.io");
        assertThat(body.location()).isEqualTo("/apis/vmclone.io/v1beta1/namespaces/ns/virtualmachineclones/c1");
    }

    @Test
    void bearerTokensAreParsedStrictly() {
        assertThat(HttpIntakeServer.BearerToken.from("Bearer abc.def")).isEqualTo("abc.def");
        assertThat(HttpIntakeServer.BearerToken.from("bearer abc")).isEqualTo("abc");
        assertThat(HttpIntakeServer.BearerToken.from("Bearer ")).isNull();
        assertThat(HttpIntakeServer.BearerToken.from("Basic dXNlcjpwYXNz")).isNull();
        assertThat(HttpIntakeServer.BearerToken.from(null)).isNull();
    }
}
