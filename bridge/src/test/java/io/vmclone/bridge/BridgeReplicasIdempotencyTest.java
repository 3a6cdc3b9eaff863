package io.vmclone.bridge;

import static io.vmclone.bridge.BridgeFixture.BOUND;
import static io.vmclone.bridge.BridgeFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.bridge.intake.RequestKeys;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two bridge replicas behind one HTTP Service: a request one replica materialised is recognised by the other,
 * a moment later (the clone is there) and after the clone was deleted (the log says so), and by a replica
 * started after both stopped.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BridgeReplicasIdempotencyTest {
    private static final String SOURCE = "/tests/replicas";
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private BridgeFixture fixture;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp(KafkaBroker broker) {
        fixture = new BridgeFixture(broker, Map.of(BridgeSettings.ENV_HTTP_PORT, "0", BridgeSettings.ENV_LEASE_SECONDS, "5"));
        AuthExpectations.install(fixture.cluster, Map.of("alice-token", "alice"), Map.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        fixture.close();
    }

    @Test
    void aRequestOneReplicaMadeAndThatWasDeletedIsAReplayAtTheOtherAndAfterBothRestarted() throws Exception {
        StageService a = replica("bridge-a");
        StageService b = replica("bridge-b");
        byte[] body = EventCodec.serialize(new CloneRequest(NS, null, CloneSpec.of("web", "web-rep")));
        HttpResponse<String> first = post(a, "rep-1", body);
        String name = RequestKeys.cloneName(SOURCE, "rep-1");
        await().atMost(BOUND).until(() -> fixture.events(EventType.REQUESTED, name), l -> !l.isEmpty());
        fixture.kube.resource(fixture.clone(name)).delete();
        await().atMost(BOUND).until(() -> fixture.clone(name) == null);

        HttpResponse<String> atB = post(b, "rep-1", body);
        HttpResponse<String> differentAtB = post(b, "rep-1", EventCodec.serialize(new CloneRequest(NS, null, CloneSpec.of("web", "x"))));
        a.close();
        b.close();
        StageService c = replica("bridge-c");
        HttpResponse<String> atC = post(c, "rep-1", body);

        String location = first.headers().firstValue("Location").orElseThrow();
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(atB.statusCode()).as(atB.body()).isEqualTo(200);
        assertThat(atB.headers().firstValue("Location")).hasValue(location);
        assertThat(differentAtB.statusCode()).as(differentAtB.body()).isEqualTo(409);
        assertThat(json(differentAtB).path("location").asText()).isEqualTo(location);
        assertThat(atC.statusCode()).as(atC.body()).isEqualTo(200);
        assertThat(atC.headers().firstValue("Location")).hasValue(location);
        assertThat(fixture.clonesAnywhere()).noneMatch(cl -> "rep-1".equals(cl.getMetadata().getAnnotations().get(CloneLabels.REQUEST_ID)));
    }

    /** Before the other replica could have read anything on the log: the clone itself, in any namespace, is the guard. */
    @Test
    void aRequestOneReplicaMadeAMomentAgoIsRecognisedAtTheOtherInAnyNamespace() throws Exception {
        StageService a = replica("bridge-a");
        StageService b = replica("bridge-b");
        byte[] body = EventCodec.serialize(new CloneRequest(NS, null, CloneSpec.of("web", "web-moment")));

        HttpResponse<String> first = post(a, "moment-1", body);
        HttpResponse<String> same = post(b, "moment-1", body);
        HttpResponse<String> elsewhere = post(b, "moment-1", EventCodec.serialize(new CloneRequest("elsewhere", null,
                CloneSpec.of("web", "web-moment"))));

        String location = first.headers().firstValue("Location").orElseThrow();
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(same.headers().firstValue("Location")).hasValue(location);
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(409);
        assertThat(json(elsewhere).path("location").asText()).isEqualTo(location);
        assertThat(fixture.clones("elsewhere")).isEmpty();
        assertThat(fixture.clones()).filteredOn(cl -> "moment-1".equals(cl.getMetadata().getAnnotations().get(CloneLabels.REQUEST_ID)))
                .hasSize(1);
    }

    private StageService replica(String instanceId) {
        Map<String, String> env = new HashMap<>(fixture.env);
        env.put(StageSettings.ENV_INSTANCE_ID, instanceId);
        KubernetesClient client = fixture.cluster.newClient();
        open.add(client);
        StageService s = StageService.start(StageSettings.from(BridgeHandler.STAGE, env), client, BridgeHandler::new, -1);
        open.add(s);
        await().atMost(BOUND).until(() -> s.loop().ready() && ((BridgeHandler) s.handler()).httpPort() > 0);
        return s;
    }

    private static HttpResponse<String> post(StageService replica, String id, byte[] body) throws Exception {
        URI endpoint = URI.create("http://localhost:" + ((BridgeHandler) replica.handler()).httpPort() + HttpIntakeServer.PATH);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(20))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", SOURCE)
                .header("ce-type", EventType.REQUEST.type()).header("Content-Type", "application/json")
                .header("Authorization", "Bearer alice-token").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
