package io.vmclone.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.bridge.auth.Identity;
import io.vmclone.bridge.intake.ExternalRequest;
import io.vmclone.bridge.intake.RequestAnnotations;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloneRequestDeciderTest {
    private final CloneRequestDecider decider = new CloneRequestDecider();
    private final OffsetDateTime now = OffsetDateTime.parse("2026-11-25T12:00:00Z");

    @Test
    void plainResourceIsRequestedAsTrustedWithDeterministicId() {
        CloneEvent e = decider.fromResource(resource(CloneSpec.of("web", "copy"), Map.of()), now);
        assertThat(e.type()).isEqualTo(EventType.REQUESTED);
        assertThat(e.id()).isEqualTo("uid-1/requested");
        Requested r = e.data(Requested.class);
        assertThat(r.origin()).isEqualTo(Origin.resource());
        assertThat(r.requester().decision()).isEqualTo("trusted");
        assertThat(r.generation()).isEqualTo(3L);
    }

    @Test
    void materialisedRequestCarriesItsOriginAndRequester() {
        Requester alice = new Requester("alice", List.of("devs"), "allowed", "SubjectAccessReview allowed ...");
        ExternalRequest request = new ExternalRequest(Origin.INTAKE, "/tickets", "t-9",
                new CloneRequest("default", null, CloneSpec.of("web", "copy")), new Identity("alice", List.of("devs")));
        Requested r = decider.fromResource(resource(CloneSpec.of("web", "copy"), RequestAnnotations.of(request, alice, "d")), now)
                .data(Requested.class);
        assertThat(r.origin()).isEqualTo(new Origin(Origin.INTAKE, "/tickets", "t-9"));
        assertThat(r.requester()).isEqualTo(alice);
    }

    @Test
    void invalidSpecIsRejectedNamingTheField() {
        CloneEvent e = decider.fromResource(resource(CloneSpec.of("web", "web"), Map.of()), now);
        Rejected r = e.data(Rejected.class);
        assertThat(e.type()).isEqualTo(EventType.REJECTED);
        assertThat(r.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(r.field()).isEqualTo("spec.target.name");
    }

    private static GenericKubernetesResource resource(CloneSpec spec, Map<String, String> annotations) {
        GenericKubernetesResource r = VirtualMachineClones.newResource("vmclone.io", "default", "c", spec, annotations);
        r.getMetadata().setUid("uid-1");
        r.getMetadata().setGeneration(3L);
        return r;
    }
}
