package io.vmclone.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.bridge.auth.Authorizer;
import io.vmclone.bridge.auth.Identity;
import io.vmclone.bridge.auth.Permission;
import io.vmclone.bridge.intake.RequestOutcome.Accepted;
import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.bridge.intake.RequestOutcome.Replayed;
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
        assertThat(intake.submit(request("i-1", null, "copy", null))).isInstanceOf(Accepted.class);
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
        Replayed again = (Replayed) intake.submit(request("i-3", "first-name", "copy", null));

        assertThat(again.original()).isEqualTo(first.cloneRef());
        assertThat(again.sameRecord()).isFalse();
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

    @Test
    void aReplayAfterTheCloneWasDeletedNamesTheOriginalAndCreatesNothing() throws Exception {
        Accepted first = (Accepted) intake.submit(request("i-6", null, "copy", null));
        deleteClones();

        Replayed again = (Replayed) intake.submit(request("i-6", null, "copy", null));
        RequestOutcome different = intake.submit(request("i-6", null, "other-copy", null));

        assertThat(again.original()).isEqualTo(first.cloneRef());
        assertThat(different).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(r.field()).isEqualTo("id");
            assertThat(r.original()).isEqualTo(first.cloneRef());
        });
        assertThat(clones()).isEmpty();
    }

    @Test
    void theSameIdInAnotherNamespaceIsAConflictNamingTheOriginal() throws Exception {
        Accepted first = (Accepted) intake.submit(request("i-7", null, "copy", null));
        // A bridge that never saw the first (another replica): only the clone in the other namespace tells.
        RequestIntake other = new RequestIntake(new RequestCheck(List.of()), authorizer, new CloneMaterializer(cluster.client(),
                cluster.cloneGroup()));

        RequestOutcome elsewhere = other.submit(request("i-7", "other", null, "copy", null));

        assertThat(elsewhere).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(r.original()).isEqualTo(first.cloneRef());
            assertThat(r.message()).contains("default/" + first.cloneRef().name());
        });
        assertThat(clones("other")).isEmpty();
    }

    @Test
    void aConflictInANamespaceTheRequesterMayNotReadDoesNotSayWhere() throws Exception {
        intake.submit(request("i-8", null, "copy", null));
        deniedResources.add(KubeResources.CLONE_PLURAL);

        Refused r = (Refused) intake.submit(request("i-8", "other", null, "copy", new Identity("bob", List.of())));

        assertThat(r.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(r.original()).isNull();
        assertThat(r.message()).contains("may not read").doesNotContain("default/");
        assertThat(asked).anyMatch(p -> p.verb().equals("get") && p.resource().equals(KubeResources.CLONE_PLURAL)
                && p.namespace().equals("default"));
    }

    /** A rolled-back transaction or a restart before the commit hands the same record over again: not a replay. */
    @Test
    void theSameIntakeRecordHandledAgainIsNotAReplayButAnotherRecordIs() throws Exception {
        CloneRequest body = new CloneRequest("default", null, CloneSpec.of("web", "copy"));
        intake.submit(new ExternalRequest(Origin.INTAKE, "/tests", "i-9", body, null, "vmclone.intake-0@7"));
        RequestIntake restarted = new RequestIntake(new RequestCheck(List.of()), authorizer, new CloneMaterializer(cluster.client(),
                cluster.cloneGroup()));

        Replayed sameHere = (Replayed) intake.submit(new ExternalRequest(Origin.INTAKE, "/tests", "i-9", body, null, "vmclone.intake-0@7"));
        Replayed sameAfterRestart = (Replayed) restarted.submit(new ExternalRequest(Origin.INTAKE, "/tests", "i-9", body, null,
                "vmclone.intake-0@7"));
        Replayed resent = (Replayed) intake.submit(new ExternalRequest(Origin.INTAKE, "/tests", "i-9", body, null, "vmclone.intake-1@3"));

        assertThat(sameHere.sameRecord()).isTrue();
        assertThat(sameAfterRestart.sameRecord()).as("read from the clone's annotation").isTrue();
        assertThat(resent.sameRecord()).isFalse();
        assertThat(clones()).hasSize(1);
    }

    private static ExternalRequest request(String id, String name, String target, Identity requester) {
        return request(id, "default", name, target, requester);
    }

    private static ExternalRequest request(String id, String namespace, String name, String target, Identity requester) {
        return new ExternalRequest(Origin.INTAKE, "/tests", id, new CloneRequest(namespace, name, CloneSpec.of("web", target)), requester);
    }

    private List<?> clones() {
        return clones("default");
    }

    private List<?> clones(String namespace) {
        return cluster.client().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(namespace)
                .list().getItems();
    }

    private void deleteClones() {
        cluster.client().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace("default").delete();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> clones().isEmpty());
    }
}
