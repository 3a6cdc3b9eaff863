package io.vmclone.bridge;

import static io.vmclone.bridge.BridgeFixture.BOUND;
import static io.vmclone.bridge.BridgeFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.bridge.intake.RequestKeys;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Clone requests over the CloudEvents HTTP binding, authenticated with TokenReview and authorized with SubjectAccessReview. */
@ExtendWith(KafkaBrokerExtension.class)
class BridgeHttpTest {
    private static final String SOURCE = "/tests/portal";
    private static final int MAX_BYTES = 4096;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    // One bridge for the class (each test uses its own request ids and checks only its own clones).
    private static BridgeFixture bridge;
    private static URI endpoint;
    private static AuthExpectations reviews;

    @BeforeAll
    static void setUp(KafkaBroker broker) {
        bridge = new BridgeFixture(broker, Map.of(BridgeSettings.ENV_HTTP_PORT, "0",
                BridgeSettings.ENV_MAX_REQUEST_BYTES, String.valueOf(MAX_BYTES)));
        reviews = AuthExpectations.install(bridge.cluster, Map.of("alice-token", "alice", "bob-token", "bob", "carol-token", "carol",
                "dan-token", "dan", "bound-token", AuthExpectations.BOUND_USER), Map.of("bob", "datavolumes", "dan", "datavolumes"));
        bridge.start();
        int port = await().atMost(BOUND).until(() -> bridge.handler().httpPort(), p -> p > 0);
        endpoint = URI.create("http://localhost:" + port + HttpIntakeServer.PATH);
    }

    @AfterAll
    static void tearDown() {
        bridge.close();
    }

    @Test
    void binaryRequestIsAcceptedMaterialisedAndRequestedWithTheRequester() throws Exception {
        HttpResponse<String> response = post(binary("h-1", request(null, "web-h1")).header("Authorization", "Bearer alice-token"));

        assertThat(response.statusCode()).isEqualTo(202);
        String name = RequestKeys.cloneName(SOURCE, "h-1");
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("namespace").asText()).isEqualTo(NS);
        assertThat(body.path("name").asText()).isEqualTo(name);
        assertThat(response.headers().firstValue("Location")).hasValue(
                "/apis/" + bridge.cluster.cloneGroup() + "/v1beta1/namespaces/" + NS + "/virtualmachineclones/" + name);
        assertThat(bridge.clone(name).getMetadata().getAnnotations()).containsEntry(CloneLabels.REQUESTER, "alice")
                .containsEntry(CloneLabels.REQUEST_CHANNEL, Origin.HTTP)
                .doesNotContainValue("alice-token");

        Requested requested = await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED, name), l -> !l.isEmpty())
                .get(0).data(Requested.class);
        assertThat(requested.origin()).isEqualTo(new Origin(Origin.HTTP, SOURCE, "h-1", RequestKeys.digest(request(null, "web-h1"))));
        assertThat(requested.requester().username()).isEqualTo("alice");
        assertThat(requested.requester().groups()).containsExactly("system:authenticated");
        assertThat(requested.requester().decision()).isEqualTo("allowed");
    }

    @Test
    void structuredRequestIsAccepted() throws Exception {
        var event = new io.vmclone.schemas.CloneEvent("h-2", URI.create(SOURCE), EventType.REQUEST, OffsetDateTime.now(),
                request("my-clone", "web-h2"), null);
        byte[] json = EventCodec.jsonFormat().serialize(new EventCodec().toCloudEvent(event));
        HttpResponse<String> response = post(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/cloudevents+json").header("Authorization", "Bearer alice-token")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(response.body()).path("name").asText()).isEqualTo("my-clone");
        assertThat(bridge.clone("my-clone")).isNotNull();
    }

    @Test
    void duplicatesAreIdempotentAndADifferentBodyIsAConflict() throws Exception {
        byte[] body = EventCodec.serialize(request(null, "web-dup"));
        HttpResponse<String> first = post(binary("h-dup", body).header("Authorization", "Bearer alice-token"));
        HttpResponse<String> again = post(binary("h-dup", body).header("Authorization", "Bearer alice-token"));
        HttpResponse<String> different = post(binary("h-dup", EventCodec.serialize(request(null, "web-other")))
                .header("Authorization", "Bearer alice-token"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).as("a replay: the clone made by the first").isEqualTo(200);
        assertThat(Json.MAPPER.readTree(again.body()).path("location").asText())
                .isEqualTo(Json.MAPPER.readTree(first.body()).path("location").asText());
        assertThat(again.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(different.statusCode()).isEqualTo(409);
        assertThat(problem(different).path("field").asText()).isEqualTo("id");
        assertThat(problem(different).path("location").asText()).isEqualTo(first.headers().firstValue("Location").orElseThrow());
        assertThat(bridge.clones()).filteredOn(c -> "h-dup".equals(c.getMetadata().getAnnotations().get(CloneLabels.REQUEST_ID)))
                .singleElement().satisfies(c -> assertThat(c.getAdditionalProperties().get("spec").toString()).contains("web-dup"));
    }

    /** The key outlives the clone: before, a replay after the deletion was a 202 that made a second clone. */
    @Test
    void aReplayAfterTheCloneWasDeletedIs200NamingTheOriginalAndADifferentBodyIs409() throws Exception {
        byte[] body = EventCodec.serialize(request(null, "web-gone"));
        HttpResponse<String> first = post(binary("h-gone", body).header("Authorization", "Bearer alice-token"));
        String name = RequestKeys.cloneName(SOURCE, "h-gone");
        await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED, name), l -> !l.isEmpty());
        bridge.kube.resource(bridge.clone(name)).delete();
        await().atMost(BOUND).until(() -> bridge.clone(name) == null);

        HttpResponse<String> again = post(binary("h-gone", body).header("Authorization", "Bearer alice-token"));
        HttpResponse<String> different = post(binary("h-gone", EventCodec.serialize(request(null, "web-gone-other")))
                .header("Authorization", "Bearer alice-token"));

        String location = first.headers().firstValue("Location").orElseThrow();
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.headers().firstValue("Location")).hasValue(location);
        assertThat(Json.MAPPER.readTree(again.body()).path("name").asText()).isEqualTo(name);
        assertThat(different.statusCode()).as(different.body()).isEqualTo(409);
        assertThat(problem(different).path("location").asText()).isEqualTo(location);
        assertNoCloneFor("h-gone");
    }

    /** The key is cluster-wide: before, the same source + id in another namespace was a 202 and a second clone. */
    @Test
    void theSameIdInAnotherNamespaceIs409NamingTheOriginal() throws Exception {
        HttpResponse<String> first = post(binary("h-ns", request(null, "web-ns")).header("Authorization", "Bearer alice-token"));
        HttpResponse<String> elsewhere = post(binary("h-ns", new CloneRequest("elsewhere", null, CloneSpec.of("web", "web-ns")))
                .header("Authorization", "Bearer alice-token"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(409);
        assertThat(problem(elsewhere).path("field").asText()).isEqualTo("id");
        assertThat(problem(elsewhere).path("location").asText()).isEqualTo(first.headers().firstValue("Location").orElseThrow());
        assertThat(problem(elsewhere).path("detail").asText()).contains(NS + "/" + RequestKeys.cloneName(SOURCE, "h-ns"));
        assertThat(bridge.clones("elsewhere")).isEmpty();
    }

    @Test
    void invalidRequestsAre400NamingTheField() throws Exception {
        HttpResponse<String> badSpec = post(binary("h-bad", EventCodec.serialize(new CloneRequest(NS, null, CloneSpec.of("web", "web"))))
                .header("Authorization", "Bearer alice-token"));
        HttpResponse<String> badName = post(binary("h-bad-name", request("Not_A_Name", "web-x"))
                .header("Authorization", "Bearer alice-token"));
        HttpResponse<String> notAnEvent = post(HttpRequest.newBuilder(endpoint).header("Content-Type", "text/plain")
                .header("Authorization", "Bearer alice-token").POST(HttpRequest.BodyPublishers.ofString("clone please")));
        HttpResponse<String> wrongType = post(binary("h-type", request(null, "web-t")).setHeader("ce-type", "io.vmclone.clone.requested")
                .header("Authorization", "Bearer alice-token"));

        assertThat(badSpec.statusCode()).isEqualTo(400);
        assertThat(badSpec.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(problem(badSpec).path("field").asText()).isEqualTo("data.spec.target.name");
        assertThat(problem(badSpec).path("detail").asText()).contains("cannot be equal to source name");
        assertThat(problem(badSpec).path("status").asInt()).isEqualTo(400);
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(problem(badName).path("field").asText()).isEqualTo("data.name");
        assertThat(notAnEvent.statusCode()).isEqualTo(400);
        assertThat(problem(notAnEvent).path("field").asText()).isEqualTo("body");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(problem(wrongType).path("field").asText()).isEqualTo("type");
        assertNoCloneFor("h-bad", "h-bad-name", "h-type");
    }

    @Test
    void missingOrInvalidTokenIs401() throws Exception {
        HttpResponse<String> none = post(binary("h-anon", request(null, "web-a")));
        HttpResponse<String> wrong = post(binary("h-anon", request(null, "web-a")).header("Authorization", "Bearer forged"));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(problem(wrong).path("detail").asText()).contains("TokenReview");
        assertNoCloneFor("h-anon");
    }

    @Test
    void requesterWithoutPermissionIs403NamingIt() throws Exception {
        HttpResponse<String> response = post(binary("h-bob", request(null, "web-bob")).header("Authorization", "Bearer bob-token"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(problem(response).path("detail").asText()).contains("bob").contains("create datavolumes.cdi.kubevirt.io")
                .doesNotContain("virtualmachines.kubevirt.io");
        assertNoCloneFor("h-bob");
    }

    @Test
    void oversizeBodyIs413() throws Exception {
        byte[] big = new byte[MAX_BYTES + 100];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> response = post(binary("h-big", big).header("Authorization", "Bearer alice-token"));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(problem(response).path("detail").asText()).contains(String.valueOf(MAX_BYTES));
        assertNoCloneFor("h-big");
    }

    /** The JDK server routes by prefix; before the exact match these were 202s that created clones. */
    @Test
    void onlyTheExactPathIsTheEndpoint() throws Exception {
        String base = endpoint.toString();
        for (String path : java.util.List.of(base + "XYZ", base + "/../../admin", base + "/", base + "/x")) {
            HttpResponse<String> response = post(binary("h-path", request(null, "web-path")).uri(URI.create(path))
                    .header("Authorization", "Bearer alice-token"));
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertNoCloneFor("h-path");
        HttpResponse<String> exact = post(binary("h-path-ok", request(null, "web-path")).uri(URI.create(base + "?via=query"))
                .header("Authorization", "Bearer alice-token"));
        assertThat(exact.statusCode()).as("a query string is not part of the path").isEqualTo(202);
    }

    /** CloudEvents as the spec says: required attributes non-empty, no key twice, type errors named by field. */
    @Test
    void envelopeErrorsAre400NamingTheAttribute() throws Exception {
        String data = new String(EventCodec.serialize(request(null, "web-env")), java.nio.charset.StandardCharsets.UTF_8);
        String rest = "\"source\":\"" + SOURCE + "\",\"type\":\"" + EventType.REQUEST.type() + "\",\"data\":" + data + "}";
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("type", "{\"specversion\":\"1.0\",\"id\":\"h-env-1\",\"type\":\"com.example.ticket\"," + rest);
        bodies.put("id", "{\"specversion\":\"1.0\",\"id\":42," + rest);
        bodies.put("data.namespace", "{\"specversion\":\"1.0\",\"id\":\"h-env-3\",\"source\":\"" + SOURCE + "\",\"type\":\""
                + EventType.REQUEST.type() + "\",\"data\":{\"namespace\":\"default\",\"namespace\":\"other\",\"spec\":{}}}");
        for (Map.Entry<String, String> b : bodies.entrySet()) {
            HttpResponse<String> response = post(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/cloudevents+json")
                    .header("Authorization", "Bearer alice-token").POST(HttpRequest.BodyPublishers.ofString(b.getValue())));
            assertThat(response.statusCode()).as(b.getValue()).isEqualTo(400);
            assertThat(problem(response).path("field").asText()).as(b.getValue()).isEqualTo(b.getKey());
        }
        HttpResponse<String> emptyId = post(binary("", request(null, "web-env")).header("Authorization", "Bearer alice-token"));
        assertThat(emptyId.statusCode()).isEqualTo(400);
        assertThat(problem(emptyId).path("field").asText()).isEqualTo("id");
        // A bell character, JSON-escaped: invisible in an audit, so refused at the door.
        HttpResponse<String> controlId = post(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/cloudevents+json")
                .header("Authorization", "Bearer alice-token").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"specversion\":\"1.0\",\"id\":\"h-\\u0007-bell\"," + rest)));
        assertThat(controlId.statusCode()).as(controlId.body()).isEqualTo(400);
        assertThat(problem(controlId).path("field").asText()).isEqualTo("id");
        assertThat(problem(controlId).path("detail").asText()).contains("control characters");
        assertNoCloneFor("h-env-1", "h-env-3");
    }

    /** Before the cache every request cost a TokenReview and three SubjectAccessReviews. */
    @Test
    void repeatedRequestsReuseTheReviewsOfTheLastSecondsButNeverARefusal() throws Exception {
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> r = post(binary("h-cache-" + i, request(null, "web-cache-" + i)).header("Authorization", "Bearer carol-token"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        assertThat(reviews.tokenReviewsOf("carol-token")).as("TokenReviews for 3 requests").isEqualTo(1);
        assertThat(reviews.accessReviewsOf("carol")).as("SubjectAccessReviews for 3 requests of the same permissions").isEqualTo(3);

        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> r = post(binary("h-deny-" + i, request(null, "web-deny-" + i)).header("Authorization", "Bearer dan-token"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        }
        assertThat(reviews.accessReviews.stream().filter(b -> b.contains("\"user\":\"dan\"") && b.contains("\"datavolumes\"")).count())
                .as("a denial is asked again: a RoleBinding granted meanwhile counts at once").isEqualTo(2);
        for (int i = 1; i <= 2; i++) {
            assertThat(post(binary("h-forged-" + i, request(null, "web-f")).header("Authorization", "Bearer forged-" + i)).statusCode())
                    .isEqualTo(401);
        }
        assertThat(post(binary("h-forged-1", request(null, "web-f")).header("Authorization", "Bearer forged-1")).statusCode()).isEqualTo(401);
        assertThat(reviews.tokenReviewsOf("<unknown>")).as("an invalid token is reviewed every time").isGreaterThanOrEqualTo(3);
    }

    /** Before, the SubjectAccessReview named the user and groups only: an authorizer deciding on uid or extra saw another user. */
    @Test
    void theReviewedUsersUidAndExtraReachTheSubjectAccessReview() throws Exception {
        HttpResponse<String> r = post(binary("h-bound", request(null, "web-bound")).header("Authorization", "Bearer bound-token"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(reviews.accessReviews).filteredOn(b -> b.contains(AuthExpectations.BOUND_USER)).hasSize(3)
                .allSatisfy(b -> assertThat(b).contains("\"uid\":\"" + AuthExpectations.BOUND_UID + "\"")
                        .contains("\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"ticketing-7d9\"]}"));
    }

    @Test
    void aWrongMethodOnThePathIs405AndLookalikePathsAre404() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer alice-token").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        String root = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        Map<String, Integer> paths = new java.util.LinkedHashMap<>();
        // An encoded separator and an empty segment are ambiguous: Jetty refuses them before any handler (400).
        paths.put("/v1/clone-requests%2F..%2F..%2Fadmin", 400);
        paths.put("//v1/clone-requests", 400);
        for (String p : java.util.List.of("/v1/clone-requests;x", "/v1/%63lone-requests", "/V1/clone-requests",
                "/v1/clone-requests/.")) {
            paths.put(p, 404);
        }
        Map<String, Integer> answered = new java.util.LinkedHashMap<>();
        for (String path : paths.keySet()) {
            HttpResponse<String> response = post(binary("h-path2", request(null, "web-path2")).uri(URI.create(root + path))
                    .header("Authorization", "Bearer alice-token"));
            answered.put(path, response.statusCode());
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        }
        assertThat(answered).isEqualTo(paths);
        assertNoCloneFor("h-path2");
    }

    /** A 400 names the field and what to fix; never a parser's or the SDK's Java class. */
    @Test
    void bodiesThatAreNotJsonAre400NamingTheFieldAndNoJavaClass() throws Exception {
        Map<String, HttpRequest.Builder> requests = new java.util.LinkedHashMap<>();
        requests.put("structured, not JSON", HttpRequest.newBuilder(endpoint).header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\": 1.0, oops")));
        requests.put("structured, an array", HttpRequest.newBuilder(endpoint).header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("[1,2,3]")));
        requests.put("binary, data not JSON", binary("h-notjson", "clone please".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        requests.put("binary, data truncated", binary("h-trunc", "{\"namespace\":\"default\",\"spec\":{".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        requests.put("structured, specversion 0.3", HttpRequest.newBuilder(endpoint).header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\":\"0.3\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"t\"}")));
        for (Map.Entry<String, HttpRequest.Builder> e : requests.entrySet()) {
            HttpResponse<String> r = post(e.getValue().header("Authorization", "Bearer alice-token"));
            assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(400);
            JsonNode p = problem(r);
            assertThat(p.path("field").asText()).as(e.getKey()).isNotBlank();
            assertThat(r.body()).as(e.getKey()).doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z]+(Exception|Error|Node|Parser)")
                    .doesNotContain("com.fasterxml").doesNotContain("io.cloudevents").doesNotContain("java.").doesNotContain("Exception")
                    .as(e.getKey() + ": no parser internals (it named StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)")
                    .doesNotContain("StreamReadFeature").doesNotContain("[Source");
        }
        assertNoCloneFor("h-notjson", "h-trunc");
    }

    private static void assertNoCloneFor(String... ids) {
        for (String id : ids) {
            assertThat(bridge.clonesAnywhere()).as("clones made for request " + id)
                    .noneMatch(c -> id.equals(c.getMetadata().getAnnotations() == null ? null
                            : c.getMetadata().getAnnotations().get(CloneLabels.REQUEST_ID)));
        }
    }

    private static CloneRequest request(String name, String target) {
        return new CloneRequest(NS, name, CloneSpec.of("web", target));
    }

    private HttpRequest.Builder binary(String id, CloneRequest request) {
        return binary(id, EventCodec.serialize(request));
    }

    private HttpRequest.Builder binary(String id, byte[] body) {
        return HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(20))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", SOURCE)
                .header("ce-type", EventType.REQUEST.type()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpResponse<String> post(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
