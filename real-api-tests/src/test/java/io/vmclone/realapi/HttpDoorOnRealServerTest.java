package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP door against the real authenticator and authorizer: the bridge's TokenReview and SubjectAccessReview
 * go to kube-apiserver, and the callers are ServiceAccounts whose rights are real RBAC.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class HttpDoorOnRealServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private RealCluster cluster;
    private RealPipeline p;

    @BeforeEach
    void start(RealCluster cluster, KafkaBroker broker) {
        this.cluster = cluster;
        p = RealPipeline.start(cluster, broker, "http");
        allowCreatingClones("requester");
        cluster.ensureServiceAccount(p.ns(), "stranger");
    }

    @AfterEach
    void stop() {
        p.close();
    }

    @Test
    void aServiceAccountAllowedToCreateClonesGets202AndItsCloneSucceeds() throws Exception {
        HttpResponse<String> answer = post(vmcloneToken("requester"), "req-allowed", "http-clone", "http-copy");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(answer.body()).contains("http-clone");
        p.awaitPhase("http-clone", "Succeeded");
    }

    /**
     * A bound ServiceAccount token's review names a uid and extra (its credential id): the SubjectAccessReviews carry
     * them and the real authorizer still answers; the second request is authenticated from the bridge's cache.
     */
    @Test
    void aRepeatedRequestReusesTheReviewsAndTheirUidAndExtraAreAcceptedByTheRealAuthorizer() throws Exception {
        String token = vmcloneToken("requester");
        HttpResponse<String> first = post(token, "req-cached-1", "cached-clone-1", "cached-copy-1");
        HttpResponse<String> second = post(token, "req-cached-2", "cached-clone-2", "cached-copy-2");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        String metrics = p.pipeline().services().get(0).registry().scrape();
        assertThat(metrics).containsPattern("vmclone_bridge_auth_reviews_total\\{answered_by=\"api\",review=\"TokenReview\"[^}]*} 1\\.0")
                .containsPattern("vmclone_bridge_auth_reviews_total\\{answered_by=\"cache\",review=\"TokenReview\"[^}]*} 1\\.0")
                .containsPattern("vmclone_bridge_auth_reviews_total\\{answered_by=\"cache\",review=\"SubjectAccessReview\"[^}]*} 3\\.0");
    }

    @Test
    void aServiceAccountWithoutThePermissionGets403NamingItAndNothingIsCreated() throws Exception {
        HttpResponse<String> answer = post(vmcloneToken("stranger"), "req-denied", "denied-clone", "denied-copy");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("system:serviceaccount:" + p.ns() + ":stranger")
                .contains("may not get virtualmachines.kubevirt.io \\\"fedora\\\" in namespace \\\"" + p.ns())
                .contains("create datavolumes.cdi.kubevirt.io");
        assertThat(p.clone("denied-clone")).isNull();
    }

    @Test
    void aTokenTheApiServerDoesNotKnowGets401() throws Exception {
        HttpResponse<String> answer = post("not-a-real-token", "req-forged", "forged-clone", "forged-copy");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertThat(p.clone("forged-clone")).isNull();
    }

    @Test
    void aValidTokenForTheApiServersOwnAudienceGets401SoNoTokenIsGoodForBoth() throws Exception {
        HttpResponse<String> answer = post(cluster.token(p.ns(), "requester"), "req-audience", "audience-clone", "audience-copy");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertThat(p.clone("audience-clone")).isNull();
    }

    /** A token for the bridge's audience, as {@code kubectl create token NAME --audience vmclone} mints it. */
    private String vmcloneToken(String serviceAccount) {
        return cluster.requestToken(p.ns(), serviceAccount, List.of(BridgeSettings.DEFAULT_TOKEN_AUDIENCE));
    }

    private void allowCreatingClones(String serviceAccount) {
        cluster.ensureServiceAccount(p.ns(), serviceAccount);
        var kube = cluster.client();
        kube.rbac().roles().inNamespace(p.ns()).resource(new RoleBuilder().withNewMetadata().withName("clone-requester").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups(cluster.cloneGroup()).withResources("virtualmachineclones")
                                .withVerbs("create", "get").build(),
                        // the bridge lets no one clone what they could not read and create themselves
                        new PolicyRuleBuilder().withApiGroups("kubevirt.io").withResources("virtualmachines").withVerbs("get", "create").build(),
                        new PolicyRuleBuilder().withApiGroups("cdi.kubevirt.io").withResources("datavolumes").withVerbs("create").build())
                .build()).serverSideApply();
        kube.rbac().roleBindings().inNamespace(p.ns()).resource(new RoleBindingBuilder().withNewMetadata().withName("clone-requester")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("clone-requester")
                .endRoleRef().addNewSubject().withKind("ServiceAccount").withName(serviceAccount).withNamespace(p.ns()).endSubject()
                .build()).serverSideApply();
    }

    private HttpResponse<String> post(String token, String id, String name, String target) throws IOException, InterruptedException {
        CloneEvent request = new CloneEvent(id, URI.create("/tests/real-api"), EventType.REQUEST, OffsetDateTime.now(),
                new CloneRequest(p.ns(), name, CloneSpec.of("fedora", target)), null);
        byte[] body = EventCodec.jsonFormat().serialize(new EventCodec().toCloudEvent(request));
        int port = ((BridgeHandler) p.pipeline().services().get(0).handler()).httpPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + HttpIntakeServer.PATH))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
