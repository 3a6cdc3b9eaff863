package io.vmclone.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.bridge.auth.Authorizer;
import io.vmclone.bridge.auth.Identity;
import io.vmclone.bridge.auth.Permission;
import io.vmclone.bridge.intake.RequestOutcome.Accepted;
import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.MockCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared request path against the mock API server, with a scripted authorizer. */
class RequestIntakeTest {
    private final MockCluster cluster = MockCluster.start();
    private final List<Permission> asked = new ArrayList<>();
    private final Set<String> deniedResources = new java.util.HashSet<>();
    private final Authorizer authorizer = new Authorizer() {
        @Override
        public Optional<Identity> authenticate(String token) {
            return Optional.empty();
        }

        @Override
        public boolean allowed(Identity user, Permission p) {
            asked.add(p);
            return !deniedResources.contains(p.resource());
        }
    };
    private final RequestIntake intake = new RequestIntake(new RequestCheck(List.of()), authorizer,
            new CloneMaterializer(cluster.client(), cluster.cloneGroup()));

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void noRequesterMeansNoAccessReviewAndTheChannelsTrust() throws Exception {
        Accepted a = (Accepted) intake.submit(request("i-1", null, "copy", null));
        assertThat(a.created()).isTrue();
        assertThat(asked).isEmpty();
        assertThat(clones()).hasSize(1);
    }

    @Test
    void forbiddenListsEveryMissingPermissionAndCreatesNothing() throws Exception {
        deniedResources.addAll(Set.of("virtualmachines", "datavolumes"));
        Refused r = (Refused) intake.submit(request("i-2", null, "copy", new Identity("bob", List.of())));
        assertThat(r.kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(r.message()).contains("get virtualmachines.kubevirt.io \"web\"", "create virtualmachines.kubevirt.io",
                "create datavolumes.cdi.kubevirt.io");
        assertThat(clones()).isEmpty();
    }

    @Test
    void redeliveryIsTheSameCloneEvenUnderAnotherDesiredName() throws Exception {
        Accepted first = (Accepted) intake.submit(request("i-3", "first-name", "copy", null));
        RequestOutcome renamed = intake.submit(request("i-3", "second-name", "copy", null));
        Accepted again = (Accepted) intake.submit(request("i-3", "first-name", "copy", null));

        assertThat(again.created()).isFalse();
        assertThat(again.cloneRef()).isEqualTo(first.cloneRef());
        assertThat(renamed).isInstanceOf(Refused.class); // same id, different body
        assertThat(((Refused) renamed).kind()).isEqualTo(Kind.CONFLICT);
        assertThat(clones()).hasSize(1);
    }

    @Test
    void aNameTakenByAnotherCloneIsAConflictNamingTheName() throws Exception {
        cluster.client().resource(VirtualMachineClones.newResource(cluster.cloneGroup(), "default", "taken",
                CloneSpec.of("db", "db-copy"), Map.of())).create();
        Refused r = (Refused) intake.submit(request("i-4", "taken", "copy", null));
        assertThat(r.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(r.field()).isEqualTo("data.name");
        assertThat(clones()).hasSize(1);
    }

    @Test
    void invalidRequestIsRefusedBeforeAnyAccessReview() throws Exception {
        Refused r = (Refused) intake.submit(request("i-5", null, "web", new Identity("alice", List.of())));
        assertThat(r.kind()).isEqualTo(Kind.INVALID);
        assertThat(asked).isEmpty();
        assertThat(clones()).isEmpty();
    }

    private static ExternalRequest request(String id, String name, String target, Identity requester) {
        return new ExternalRequest(Origin.INTAKE, "/tests", id, new CloneRequest("default", name, CloneSpec.of("web", target)), requester);
    }

    private List<?> clones() {
        return cluster.client().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace("default")
                .list().getItems();
    }
}
