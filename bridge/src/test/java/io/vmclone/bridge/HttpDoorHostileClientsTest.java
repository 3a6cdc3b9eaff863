package io.vmclone.bridge;

import static io.vmclone.bridge.BridgeFixture.BOUND;
import static io.vmclone.bridge.BridgeFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmclone.bridge.http.HttpIntakeServer;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP door against clients that stall, trickle, flood or come without a token: each is cut off within its
 * bound, and everyone else is still served meanwhile. Each hostile client comes from a loopback address of its own
 * (127.x.y.z), so the per-client bounds of the well-behaved client (127.0.0.1) are its own too.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HttpDoorHostileClientsTest {
    private static final String SOURCE = "/tests/hostile";
    private static final int MAX_BYTES = 4096;
    /** The request deadline: a body must be in within this of its headers. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final int CONCURRENCY = 4;
    private static final int BURST = 5;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, String> TOKENS = new HashMap<>();

    static {
        for (String user : List.of("alice", "stall", "slow", "flood", "greedy", "shared")) {
            TOKENS.put(user + "-token", user);
        }
        for (int i = 1; i <= 32; i++) {
            TOKENS.put("staller-" + i + "-token", "staller-" + i);
        }
    }

    private static BridgeFixture bridge;
    private static io.vmclone.runtime.StageService service;
    private static int port;

    @BeforeAll
    static void setUp(KafkaBroker broker) {
        bridge = new BridgeFixture(broker, Map.of(BridgeSettings.ENV_HTTP_PORT, "0",
                BridgeSettings.ENV_MAX_REQUEST_BYTES, String.valueOf(MAX_BYTES),
                BridgeSettings.ENV_REQUEST_TIMEOUT_MS, String.valueOf(REQUEST_TIMEOUT.toMillis()),
                BridgeSettings.ENV_IDLE_TIMEOUT_MS, String.valueOf(IDLE_TIMEOUT.toMillis()),
                BridgeSettings.ENV_CLIENT_CONCURRENCY, String.valueOf(CONCURRENCY),
                BridgeSettings.ENV_CLIENT_RATE, "1",
                BridgeSettings.ENV_CLIENT_BURST, String.valueOf(BURST)));
        AuthExpectations.install(bridge.cluster, TOKENS, Map.of());
        service = bridge.start();
        port = await().atMost(BOUND).until(() -> bridge.handler().httpPort(), p -> p > 0);
    }

    @AfterAll
    static void tearDown() {
        bridge.close();
    }

    /** Before, the JDK server read the body (up to the limit) before it looked at the token. */
    @Test
    void aRequestWithoutAValidTokenIs401BeforeAnyOfItsBodyIsSent() throws Exception {
        for (String token : new String[] {null, "forged"}) {
            try (RawHttp c = RawHttp.connect("127.0.2.1", port)) {
                long t0 = System.nanoTime();
                // Declares 4,000 bytes and sends none: a door that read the body first would wait for them.
                RawHttp.Answer a = c.send(RawHttp.head(HttpIntakeServer.PATH, token, "Content-Type: application/json",
                        "Content-Length: 4000")).read();
                assertThat(a.status()).as("token " + token).isEqualTo(401);
                assertThat(a.headers()).containsKey("www-authenticate").containsEntry("connection", "close");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("answered without waiting for the body")
                        .isLessThan(REQUEST_TIMEOUT);
                assertThat(c.closedByServer()).as("the unread body is never read: the connection ends").isTrue();
            }
        }
    }

    @Test
    void aBodyThatStallsMidWayIs408WithinTheDeadlineAndTheConnectionIsClosed() throws Exception {
        try (RawHttp c = RawHttp.connect("127.0.2.2", port)) {
            long t0 = System.nanoTime();
            c.send(RawHttp.head(HttpIntakeServer.PATH, "stall-token", "Content-Type: application/json", "Content-Length: 2000")
                    + "{\"namespace\":\"default\",");
            RawHttp.Answer a = c.read();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(a.status()).as(a.body()).isEqualTo(408);
            assertThat(a.body()).contains("\"field\":\"body\"").contains(String.valueOf(IDLE_TIMEOUT.toMillis()));
            // Nothing more arrives: the idle timeout (shorter than the request deadline here) ends it.
            assertThat(took).isBetween(IDLE_TIMEOUT.minusMillis(500), REQUEST_TIMEOUT.plusSeconds(3));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    /** A trickle that never stops is never idle: only the deadline on the whole body ends it. */
    @Test
    void aChunkedBodyThatNeverEndsIsCutOffAtTheDeadline() throws Exception {
        try (RawHttp c = RawHttp.connect("127.0.2.3", port)) {
            long t0 = System.nanoTime();
            c.send(RawHttp.head(HttpIntakeServer.PATH, "slow-token", "Content-Type: application/json", "Transfer-Encoding: chunked"));
            RawHttp.Answer a = null;
            // One small chunk every 200 ms, for as long as the server listens (bounded: 3 deadlines).
            while (a == null && Duration.ofNanos(System.nanoTime() - t0).compareTo(REQUEST_TIMEOUT.multipliedBy(3)) < 0) {
                try {
                    c.send("1\r\n \r\n");
                } catch (java.io.IOException closed) {
                    break;
                }
                await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> true);
                if (c.socket.getInputStream().available() > 0) {
                    a = c.read();
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).as("cut off at the deadline").isLessThan(REQUEST_TIMEOUT.plusSeconds(3));
            if (a != null) {
                assertThat(a.status()).isEqualTo(408);
                assertThat(a.body()).contains("within " + REQUEST_TIMEOUT.toMillis() + " ms of the headers");
            }
        }
    }

    /** Without Content-Length the size is known only while reading: the door stops at the limit, it does not buffer on. */
    @Test
    void aChunkedBodyPastTheLimitIs413() throws Exception {
        try (RawHttp c = RawHttp.connect("127.0.2.5", port)) {
            StringBuilder chunks = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                chunks.append(Integer.toHexString(2048)).append("\r\n").append(" ".repeat(2048)).append("\r\n");
            }
            RawHttp.Answer a = c.send(RawHttp.head(HttpIntakeServer.PATH, "slow-token", "Content-Type: application/json",
                    "Transfer-Encoding: chunked") + chunks).read();
            assertThat(a.status()).as(a.body()).isEqualTo(413);
            assertThat(a.body()).contains("\"field\":\"body\"").contains(String.valueOf(MAX_BYTES));
        }
    }

    /** A client that asks before it sends (Expect: 100-continue) and has no valid token is told 401, never to go on. */
    @Test
    void aClientExpectingContinueWithABadTokenGets401AndNo100() throws Exception {
        try (RawHttp c = RawHttp.connect("127.0.2.6", port)) {
            RawHttp.Answer a = c.send(RawHttp.head(HttpIntakeServer.PATH, "forged", "Content-Type: application/json",
                    "Content-Length: 4000", "Expect: 100-continue")).read();
            assertThat(a.status()).isEqualTo(401);
        }
    }

    /** Slowloris: headers one byte at a time, never complete. The idle timeout alone never fires on it. */
    @Test
    void headersTrickledByteByByteAreCutOffAtTheIdleTimeout() throws Exception {
        try (RawHttp c = RawHttp.connect("127.0.2.4", port)) {
            long t0 = System.nanoTime();
            c.send("POST " + HttpIntakeServer.PATH + " HTTP/1.1\r\nHost: localhost\r\n");
            boolean closed = false;
            while (!closed && Duration.ofNanos(System.nanoTime() - t0).compareTo(IDLE_TIMEOUT.multipliedBy(4)) < 0) {
                try {
                    c.send("X");
                    await().pollDelay(Duration.ofMillis(250)).atMost(Duration.ofSeconds(1)).until(() -> true);
                    closed = !c.stillWaiting();
                } catch (java.io.IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(IDLE_TIMEOUT.plusSeconds(3));
        }
    }

    /**
     * 32 clients (32 addresses and users, so no per-client bound helps) send their headers and half a body and stall. A stalled
     * body holds no worker (the door has 32), so a normal client gets its 202 while every one of them still waits.
     */
    @Test
    void aNormalClientIsServedWhile32OthersStallMidBody() throws Exception {
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 1; i <= 32; i++) {
                RawHttp c = RawHttp.connect("127.0.3." + i, port);
                stalled.add(c);
                // A user of its own too: neither per-client bound is what keeps the door open here.
                c.send(RawHttp.head(HttpIntakeServer.PATH, "staller-" + i + "-token", "Content-Type: application/json",
                        "Content-Length: 1000") + "{\"namespace\":");
            }
            long t0 = System.nanoTime();
            HttpResponse<String> normal = await().atMost(REQUEST_TIMEOUT.minusSeconds(1))
                    .until(() -> post("alice-token", "hostile-normal", "web-normal"), r -> r.statusCode() == 202);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(normal.statusCode()).isEqualTo(202);
            for (RawHttp c : stalled) {
                assertThat(c.stillWaiting()).as("a stalled request is still waiting when the normal one was answered (in " + took + ")")
                        .isTrue();
            }
            // ... and each is ended by the door at its deadline: a 408, or (when Jetty's idle timeout closes the connection
            // first, which a loaded machine makes possible) a close — never left waiting until our own read gives up.
            for (RawHttp c : stalled) {
                RawHttp.Answer end = c.read();
                assertThat(end.body()).as("ended by the server, not by the client's read timeout").doesNotContain("SocketTimeoutException");
                assertThat(end.status()).isIn(408, -1);
            }
        } finally {
            for (RawHttp c : stalled) {
                c.close();
            }
        }
    }

    @Test
    void aClientFloodingRequestsGets429WithRetryAfterAndAnotherIsStillServed() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        String retryAfter = null;
        String reason = null;
        for (int i = 0; i < 20; i++) {
            try (RawHttp c = RawHttp.connect("127.0.4.1", port)) {
                byte[] body = EventCodec.serialize(request("web-flood-" + i));
                RawHttp.Answer a = c.send(RawHttp.head(HttpIntakeServer.PATH, "flood-token", "Content-Type: application/json",
                        "ce-specversion: 1.0", "ce-id: flood-" + i, "ce-source: " + SOURCE, "ce-type: " + EventType.REQUEST.type(),
                        "Content-Length: " + body.length) + new String(body, StandardCharsets.UTF_8)).read();
                statuses.add(a.status());
                if (a.status() == 429 && retryAfter == null) {
                    retryAfter = a.headers().get("retry-after");
                    reason = a.body();
                }
            }
        }
        HttpResponse<String> other = post("alice-token", "hostile-other", "web-other");

        assertThat(statuses.stream().filter(s -> s == 202).count()).as(statuses.toString()).isBetween(1L, (long) BURST + 2);
        assertThat(statuses.stream().filter(s -> s == 429).count()).as(statuses.toString()).isGreaterThanOrEqualTo(20L - BURST - 2);
        assertThat(retryAfter).as("Retry-After").isNotNull();
        assertThat(Long.parseLong(retryAfter)).isPositive();
        assertThat(reason).contains("\"reason\":\"rate\"").contains("\"status\":429");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
        String metrics = service.registry().scrape();
        assertThat(metrics).contains("# HELP vmclone_bridge_http_throttled_total")
                .containsPattern("vmclone_bridge_http_throttled_total\\{client=\"address\",reason=\"rate\"[^}]*} [1-9]")
                .containsPattern("vmclone_bridge_http_requests_total\\{[^}]*status=\"429\"[^}]*} [1-9]");
    }

    @Test
    void aClientWithTooManyRequestsInProgressGets429AndAnotherIsStillServed() throws Exception {
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < CONCURRENCY; i++) {
                RawHttp c = RawHttp.connect("127.0.4.2", port);
                open.add(c);
                c.send(RawHttp.head(HttpIntakeServer.PATH, "greedy-token", "Content-Type: application/json", "Content-Length: 100"));
            }
            // The last one surely in progress: its peers are too (each is admitted before it is left to stall).
            await().atMost(BOUND).until(() -> open.get(CONCURRENCY - 1).stillWaiting());
            try (RawHttp extra = RawHttp.connect("127.0.4.2", port)) {
                RawHttp.Answer a = extra.send(RawHttp.head(HttpIntakeServer.PATH, "greedy-token", "Content-Type: application/json",
                        "Content-Length: 100")).read();
                assertThat(a.status()).as(a.body()).isEqualTo(429);
                assertThat(a.headers()).containsKey("retry-after");
                assertThat(a.body()).contains("\"reason\":\"concurrency\"").contains("client address");
            }
            HttpResponse<String> other = post("alice-token", "hostile-concurrent", "web-concurrent");
            assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
        } finally {
            for (RawHttp c : open) {
                c.close();
            }
        }
    }

    /** Behind a proxy every caller has the proxy's address: the user's own bound still applies to one user. */
    @Test
    void oneUserFromManyAddressesIsBoundedAsAUser() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        String body429 = null;
        for (int i = 0; i < 12; i++) {
            try (RawHttp c = RawHttp.connect("127.0.5." + (i + 1), port)) {
                RawHttp.Answer a = c.send(RawHttp.head(HttpIntakeServer.PATH, "shared-token", "Content-Type: application/json",
                        "Content-Length: 2") + "{}").read();
                statuses.add(a.status());
                if (a.status() == 429) {
                    body429 = a.body();
                }
            }
        }
        assertThat(statuses.stream().filter(s -> s == 429).count()).as(statuses.toString()).isGreaterThanOrEqualTo(12L - BURST - 2);
        assertThat(body429).contains("this user");
    }

    /** What Jetty refuses itself is a problem body too, naming no Java class and quoting nothing of the request. */
    @Test
    void malformedRequestsAreProblemAnswersNamingNoJavaClass() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("a Content-Length that is no number", RawHttp.head(HttpIntakeServer.PATH, "alice-token", "Content-Length: abc"));
        cases.put("headers over the limit", RawHttp.head(HttpIntakeServer.PATH, "alice-token", "X-Pad: " + "p".repeat(20_000)));
        cases.put("not HTTP at all", "\u0000\u0001 garbage \r\n\r\n");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (RawHttp raw = RawHttp.connect("127.0.6.1", port)) {
                RawHttp.Answer a = raw.send(c.getValue()).read();
                assertThat(a.status()).as(c.getKey()).isBetween(400, 499);
                assertThat(a.headers().get("content-type")).as(c.getKey()).startsWith("application/problem+json");
                assertThat(a.body()).as(c.getKey()).contains("\"status\":" + a.status()).doesNotContain("org.eclipse")
                        .doesNotContain("Exception").doesNotContain("java.");
            }
        }
    }

    private static CloneRequest request(String target) {
        return new CloneRequest(NS, null, CloneSpec.of("web", target));
    }

    private static HttpResponse<String> post(String token, String id, String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + HttpIntakeServer.PATH))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", SOURCE)
                .header("ce-type", EventType.REQUEST.type()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.serialize(request(target)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
