package io.vmclone.bridge.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.bridge.auth.Authorizer;
import io.vmclone.bridge.auth.Identity;
import io.vmclone.bridge.intake.ExternalRequest;
import io.vmclone.bridge.intake.RequestIntake;
import io.vmclone.bridge.intake.RequestOutcome;
import io.vmclone.runtime.Failures;
import io.vmclone.runtime.TransientFailure;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloudEventEnvelope;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.InvalidEventException;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CloudEvents HTTP binding (binary and structured) for clone requests: {@code POST /v1/clone-requests}
 * with a Kubernetes bearer token. Checks, in order: size (413), token (401), CloudEvent and data (400),
 * permissions (403), duplicates (409); then {@code 202} with the clone's name and {@code Location}, or {@code 200}
 * naming the clone an earlier delivery of the same request became. Any other path answers 404.
 */
public final class HttpIntakeServer implements AutoCloseable {
    public static final String PATH = "/v1/clone-requests";
    private static final Logger log = LoggerFactory.getLogger(HttpIntakeServer.class);

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Authorizer authorizer;
    private final RequestIntake intake;
    private final EventCodec codec = new EventCodec();
    private final String group;
    private final int maxBytes;

    public HttpIntakeServer(InetSocketAddress address, int maxBytes, Authorizer authorizer, RequestIntake intake, String group)
            throws IOException {
        this.authorizer = authorizer;
        this.intake = intake;
        this.group = group;
        this.maxBytes = maxBytes;
        this.server = HttpServer.create(address, 64);
        // Bounded: when all workers are busy and the queue is full, the acceptor does the work (back-pressure).
        this.executor = new ThreadPoolExecutor(2, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
                r -> new Thread(r, "bridge-http"), new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.createContext(PATH, this::exchange);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void exchange(HttpExchange ex) {
        try (ex) {
            Answer answer;
            try {
                answer = answer(ex);
            } catch (TransientFailure e) {
                answer = Answer.problem(Problem.unavailable(e.getMessage()));
            } catch (KubernetesClientException e) {
                log.warn("clone request could not be handled: {}", Failures.describe(e));
                answer = Answer.problem(Failures.isTransient(e) ? Problem.unavailable(Failures.describe(e)) : Problem.internal());
            } catch (RuntimeException e) {
                log.error("clone request failed", e);
                answer = Answer.problem(Problem.internal());
            }
            answer.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.getResponseHeaders().set("Content-Type", answer.contentType());
            ex.sendResponseHeaders(answer.status(), answer.body().length);
            ex.getResponseBody().write(answer.body());
        } catch (IOException e) {
            log.debug("client went away: {}", e.toString());
        }
    }

    /** How much of a refused oversize body is still read, so the client gets its 413 (beyond: connection reset). */
    private static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    private Answer answer(HttpExchange ex) throws IOException, TransientFailure {
        // The JDK server routes by prefix: /v1/clone-requestsXYZ and /v1/clone-requests/../../admin reach this
        // context too. Only the exact path is the endpoint; nothing else is read, not even the body.
        if (!PATH.equals(ex.getRequestURI().getRawPath())) {
            return Answer.problem(Problem.notFound()).with("Connection", "close");
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            return Answer.problem(Problem.methodNotAllowed(ex.getRequestMethod())).with("Allow", "POST");
        }
        Optional<byte[]> body = BoundedBody.read(ex.getRequestBody(), maxBytes);
        if (body.isEmpty()) {
            // Read and drop the rest (bounded): closing with unread request data makes TCP reset the
            // connection, and the client may never see the 413.
            BoundedBody.discard(ex.getRequestBody(), DISCARD_LIMIT);
            return Answer.problem(Problem.tooLarge(maxBytes)).with("Connection", "close");
        }
        String token = BearerToken.from(ex.getRequestHeaders().getFirst("Authorization"));
        if (token == null) {
            return Answer.problem(Problem.unauthenticated("send 'Authorization: Bearer <token>' with a Kubernetes token"))
                    .with("WWW-Authenticate", "Bearer");
        }
        Optional<Identity> user = authorizer.authenticate(token);
        if (user.isEmpty()) {
            return Answer.problem(Problem.unauthenticated("the bearer token was not accepted by the cluster (TokenReview)"))
                    .with("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        CloneEvent event;
        try {
            event = decode(ex, body.get());
        } catch (InvalidEventException e) {
            return Answer.problem(Problem.invalid(e.field(), e.reason(), Reasons.INVALID_REQUEST));
        }
        return respond(intake.submit(new ExternalRequest(Origin.HTTP, event.source().toString(), event.id(),
                event.data(CloneRequest.class), user.get())));
    }

    /** 202 for a clone made now, 200 naming the original for a replay, the problem (409 with the original's location) else. */
    private Answer respond(RequestOutcome outcome) {
        AcceptedBody body;
        int status;
        if (outcome instanceof RequestOutcome.Refused refused) {
            return Answer.problem(Problem.of(refused, group));
        } else if (outcome instanceof RequestOutcome.Replayed replayed) {
            body = AcceptedBody.of(replayed.original(), group, replayed.phase());
            status = 200;
        } else {
            body = AcceptedBody.of(((RequestOutcome.Accepted) outcome).cloneRef(), group);
            status = 202;
        }
        return new Answer(status, "application/json", EventCodec.serialize(body), Map.of("Location", body.location()));
    }

    private CloneEvent decode(HttpExchange ex, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        Map<String, List<String>> attributes = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (!v.isEmpty()) {
                headers.put(name, v.get(0));
            }
            if (name.startsWith("ce-")) {
                attributes.computeIfAbsent(name.substring(3), n -> new ArrayList<>()).addAll(v);
            }
        });
        // The spec's rules first, so a refusal names the attribute (the SDK's own errors name none).
        String contentType = headers.getOrDefault("content-type", "");
        if (!attributes.isEmpty()) {
            CloudEventEnvelope.checkBinary(attributes);
        } else if (contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents+json")) {
            CloudEventEnvelope.checkStructured(body);
        }
        CloudEvent ce;
        try {
            ce = HttpMessageFactory.createReader(headers, body).toEvent();
        } catch (RuntimeException e) {
            throw new InvalidEventException("body", "is not a CloudEvent (binary mode needs ce-* headers, structured mode "
                    + "Content-Type: application/cloudevents+json): " + e.getMessage(), e);
        }
        if (!EventType.REQUEST.type().equals(ce.getType())) {
            throw new InvalidEventException("type", "must be " + EventType.REQUEST.type() + ", got '" + ce.getType() + "'");
        }
        return codec.fromCloudEvent(ce);
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    /** A response: status, content type, body, extra headers. */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Answer problem(Problem p) {
            return new Answer(p.status(), Problem.CONTENT_TYPE, p.toJson(), Map.of());
        }

        Answer with(String header, String value) {
            Map<String, String> h = new HashMap<>(headers);
            h.put(header, value);
            return new Answer(status, contentType, body, h);
        }
    }

    /** Reads at most {@code limit} bytes; empty if the body is longer. */
    static final class BoundedBody {
        private BoundedBody() {}

        static Optional<byte[]> read(InputStream in, int limit) throws IOException {
            byte[] bytes = in.readNBytes(limit + 1);
            return bytes.length > limit ? Optional.empty() : Optional.of(bytes);
        }

        /** Reads and drops up to {@code max} more bytes of a body that was refused. */
        static void discard(InputStream in, long max) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            long left = max;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    static final class BearerToken {
        private BearerToken() {}

        static String from(String header) {
            if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            String token = header.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
    }
}
