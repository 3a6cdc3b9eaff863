package io.vmclone.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.bridge.auth.Identity;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestAnnotationsTest {
    private final ExternalRequest request = new ExternalRequest(Origin.HTTP, "/portal", "id-7",
            new CloneRequest("default", null, CloneSpec.of("web", "copy")), new Identity("alice", List.of("devs")));

    @Test
    void originAndRequesterRoundTripThroughTheAnnotations() {
        Requester alice = new Requester("alice", List.of("devs"), "allowed", "SubjectAccessReview allowed get ...");
        Map<String, String> annotations = RequestAnnotations.of(request, alice, "digest");

        assertThat(annotations).containsEntry(CloneLabels.REQUESTER, "alice").containsEntry(CloneLabels.REQUEST_DIGEST, "digest");
        assertThat(RequestAnnotations.origin(annotations)).isEqualTo(new Origin(Origin.HTTP, "/portal", "id-7"));
        assertThat(RequestAnnotations.requester(annotations)).contains(alice);
        assertThat(RequestAnnotations.madeFor(annotations, "/portal", "id-7")).isTrue();
        assertThat(RequestAnnotations.madeFor(annotations, "/portal", "id-8")).isFalse();
    }

    @Test
    void aPlainResourceHasTheResourceOriginAndNoRecordedRequester() {
        assertThat(RequestAnnotations.origin(null)).isEqualTo(Origin.resource());
        assertThat(RequestAnnotations.origin(Map.of("team", "a"))).isEqualTo(Origin.resource());
        assertThat(RequestAnnotations.requester(Map.of())).isEmpty();
    }

    @Test
    void anUnreadableOrUnknownDecisionIsIgnored() {
        Map<String, String> annotations = new HashMap<>(RequestAnnotations.of(request, Requester.trusted(null, "x"), "d"));
        annotations.put(CloneLabels.REQUESTER_DECISION, "{not json");
        assertThat(RequestAnnotations.requester(annotations)).isEmpty();
        annotations.put(CloneLabels.REQUESTER_DECISION, "{\"username\":\"eve\",\"decision\":\"superuser\"}");
        assertThat(RequestAnnotations.requester(annotations)).isEmpty();
    }
}
