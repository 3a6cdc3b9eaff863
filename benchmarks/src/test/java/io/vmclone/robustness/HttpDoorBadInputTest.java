package io.vmclone.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.MockCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus through the bridge's HTTP endpoint ({@code POST /v1/clone-requests}, structured
 * CloudEvents, a bearer token the mock cluster's TokenReview accepts). What the bridge refuses must be
 * answered at once with the case's status and an RFC 7807 body naming the field and reason, and create no
 * clone; what the planner refuses is accepted (202) and its clone ends {@code Failed} with the reason.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpDoorBadInputTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String DOOR = "http";
    private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    /** token → user the mock TokenReview answers with; mallory may not create DataVolumes. */
    private static final Map<String, String> TOKENS = Map.of("user", "alice", "mallory", "mallory");

    private DoorPipeline door;
    private URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    static Stream<BadInputCase> cases() {
        return BadInputCase.all().stream().filter(c -> c.through(DOOR));
    }

    @BeforeAll
    void startPipeline(KafkaBroker broker) {
        door = DoorPipeline.start(broker, "bad-http", (cluster, env) -> {
            installAuth(cluster);
            env.put(BridgeSettings.ENV_HTTP_PORT, "0");
        });
        BridgeHandler bridge = (BridgeHandler) door.pipeline().services().get(0).handler();
        int port = await().atMost(BOUND).until(bridge::httpPort, p -> p > 0);
        endpoint = URI.create("http://localhost:" + port + HttpIntakeServer.PATH);
    }

    /** The cluster's TokenReview and SubjectAccessReview answers, as a real API server would give them. */
    private static void installAuth(MockCluster cluster) {
        cluster.server().expect().post().withPath(TOKEN_REVIEWS).andReply(201, req -> {
            String body = req.getUtf8Body();
            String user = TOKENS.entrySet().stream().filter(e -> body.contains("\"" + e.getKey() + "\"")).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            String status = user == null ? "{\"authenticated\":false,\"error\":\"invalid token\"}"
                    : "{\"authenticated\":true,\"user\":{\"username\":\"" + user + "\",\"groups\":[\"system:authenticated\"]}}";
            return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":" + status + "}";
        }).always();
        cluster.server().expect().post().withPath(ACCESS_REVIEWS).andReply(201, req -> {
            String body = req.getUtf8Body();
            boolean deny = body.contains("\"user\":\"mallory\"") && body.contains("\"resource\":\"datavolumes\"");
            return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":" + !deny
                    + (deny ? ",\"reason\":\"no RBAC rule\"" : "") + "}}";
        }).always();
    }

    @AfterAll
    void stop() {
        if (door != null) {
            door.close();
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithTheStatusReasonAndFieldAndCreatesNothing(BadInputCase c) throws Exception {
        assumeTrue(c.pendingFor(DOOR) == null, () -> "known gap: " + c.pendingFor(DOOR));
        BadInputCase.Expect expect = c.expectFor(DOOR);
        String ns = c.namespace();
        door.seed(c);
        HttpResponse<String> response = http.send(request(c), HttpResponse.BodyHandlers.ofString());
        String name = name(c);
        if ("planner".equals(expect.stage())) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            CloneStatus status = await().atMost(BOUND).until(() -> door.status(ns, name),
                    s -> s != null && s.phaseOrNull() != null && s.phaseOrNull().terminal());
            assertThat(status.phase()).isEqualTo("Failed");
            assertThat(status.condition(CloneStatus.READY).reason()).isEqualTo(expect.reason());
            String key = ns + "/" + name;
            Rejected rejected = door.log().find(k -> key.equals(k.key()) && k.event().type() == EventType.REJECTED).orElseThrow()
                    .event().data(Rejected.class);
            assertThat(rejected.stage()).isEqualTo(expect.stage());
            assertThat(rejected.field()).isEqualTo(expect.field());
            assertThat(door.log().history(key)).extracting(CloneEvent::type).doesNotContain(EventType.PLANNED, EventType.SUCCEEDED);
        } else {
            int wanted = expect.status() == null ? 400 : expect.status();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(wanted);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = Json.MAPPER.readTree(response.body());
            assertThat(problem.path("status").asInt()).isEqualTo(wanted);
            assertThat(problem.path("field").asText(null)).as("field").isEqualTo(expect.field());
            assertThat(problem.path("reason").asText(null)).as("reason").isEqualTo(expect.reason());
            if (expect.message() != null) {
                assertThat(problem.path("detail").asText().toLowerCase()).as("detail").contains(expect.message().toLowerCase());
            }
            assertThat(door.kube().genericKubernetesResources(KubeResources.clones(door.cluster().cloneGroup())).inNamespace(ns)
                    .withName(name).get())
                    .as("no clone resource for a refused request").isNull();
        }
        door.assertCreatedNothing(ns);
    }

    @Order(2)
    @Test
    void servicesKeepRunning() {
        door.assertServicesRunning();
    }

    private HttpRequest request(BadInputCase c) {
        BadInputCase.Http h = c.http() == null ? new BadInputCase.Http(null, null, null, null, null, null) : c.http();
        String body = h.body() != null ? h.body() : c.rawFor(name(c));
        if (body == null) {
            ObjectNode data = Json.MAPPER.createObjectNode();
            data.put("namespace", c.namespace());
            data.put("name", name(c));
            if (c.spec() != null) {
                data.set("spec", c.spec());
            }
            ObjectNode ce = Json.MAPPER.createObjectNode();
            ce.put("specversion", h.specversion() == null ? "1.0" : h.specversion());
            ce.put("id", c.eventId());
            ce.put("source", "/robustness/bad-input");
            ce.put("type", h.type() == null ? EventType.REQUEST.type() : h.type());
            ce.put("datacontenttype", "application/json");
            ce.set("data", data);
            body = ce.toString();
        }
        // Not endpoint.resolve(path): it would normalise "/../" away, and the case is about the server seeing it.
        URI uri = h.path() == null ? endpoint : URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + h.path());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(BOUND)
                .header("Content-Type", h.contentType() == null ? "application/cloudevents+json" : h.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        String token = h.token() == null ? "user" : h.token();
        if (!"none".equals(token)) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    private static String name(BadInputCase c) {
        return c.cloneName() + "-http";
    }
}
