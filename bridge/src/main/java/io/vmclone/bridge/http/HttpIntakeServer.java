package io.vmclone.bridge.http;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vmclone.bridge.BridgeSettings;
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
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CloudEvents HTTP binding (binary and structured) for clone requests: {@code POST /v1/clone-requests} with a
 * Kubernetes bearer token, on Jetty (core, no servlets). Checks, in order, before any body byte is read: path (404),
 * method (405), declared size (413), the client's bounds (429), token (401), the user's bounds (429); then the body,
 * within the size (413) and the request deadline (408); then CloudEvent and data (400), permissions (403), duplicates
 * (409); then {@code 202} with the clone's name and {@code Location}, or {@code 200} naming the clone an earlier
 * delivery of the same request became.
 *
 * <p>Hostile clients (docs/robustness.md): the body is read without holding a thread, so clients that stall cost a
 * connection each, not a worker; connections idle or trickling headers are closed; a client (address, and user) has
 * a bounded number of requests in progress and a rate.
 */
public final class HttpIntakeServer implements AutoCloseable {
    public static final String PATH = "/v1/clone-requests";
    private static final Logger log = LoggerFactory.getLogger(HttpIntakeServer.class);
    /** Workers: reviews and creates block on the API server; stalled bodies hold none. */
    private static final int MAX_THREADS = 32;
    private static final int MAX_TRACKED_CLIENTS = 100_000;

    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService timers;
    private final ConnectionDeadlines deadlines;
    private final ClientLimits limits;
    private final Authorizer authorizer;
    private final RequestIntake intake;
    private final EventCodec codec = new EventCodec();
    private final String group;
    private final int maxBytes;
    private final BridgeSettings.HttpDoor door;
    private final MeterRegistry metrics;
    private final SslContextFactory.Server ssl;
    private volatile String tlsDigest;
    /** The files' digest when they last failed to load (only the timer thread writes it). */
    private volatile String failedDigest;

    public HttpIntakeServer(InetSocketAddress address, int maxBytes, BridgeSettings.HttpDoor door, Authorizer authorizer,
                            RequestIntake intake, String group, MeterRegistry metrics) throws IOException {
        this.authorizer = authorizer;
        this.intake = intake;
        this.group = group;
        this.maxBytes = maxBytes;
        this.door = door;
        this.metrics = metrics;
        this.limits = new ClientLimits(door.clientConcurrency(), door.clientRate(), door.clientBurst(), MAX_TRACKED_CLIENTS, System::nanoTime);
        this.deadlines = new ConnectionDeadlines(door.idleTimeout(), System::nanoTime);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "bridge-http-timers");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;

        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 4);
        pool.setName("bridge-http");
        pool.setDaemon(true);
        this.server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        // Dispatch on the headers alone: the token is checked before any body byte is waited for or read.
        config.setDelayDispatchUntilContent(false);
        config.setIdleTimeout(door.idleTimeout().toMillis());
        HttpConnectionFactory http = new HttpConnectionFactory(config);
        if (door.tls() != null) {
            config.addCustomizer(new SecureRequestCustomizer(false));
            this.ssl = new SslContextFactory.Server();
            ssl.setKeyStore(loadKeyStore());
            ssl.setKeyStorePassword(PemKeyStore.PASSWORD);
            ssl.setKeyManagerPassword(PemKeyStore.PASSWORD);
            this.connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, http.getProtocol()), http);
        } else {
            this.ssl = null;
            this.connector = new ServerConnector(server, 1, 1, http);
        }
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(door.idleTimeout().toMillis());
        connector.addBean(deadlines);
        server.addConnector(connector);
        server.setHandler(new Door());
        server.setErrorHandler(new ProblemErrorHandler());
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw e instanceof IOException io ? io : new IOException("the HTTP door could not start: " + e.getMessage(), e);
        }
        long sweep = Math.max(50, Math.min(1000, door.idleTimeout().toMillis() / 4));
        timers.scheduleWithFixedDelay(deadlines::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        if (ssl != null) {
            long every = door.tls().reloadInterval().toMillis();
            timers.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Whether the door speaks TLS ({@code https}). */
    public boolean tls() {
        return ssl != null;
    }

    private KeyStore loadKeyStore() throws IOException {
        BridgeSettings.Tls tls = door.tls();
        try {
            String digest = PemKeyStore.digest(tls.certFile(), tls.keyFile());
            KeyStore store = PemKeyStore.load(tls.certFile(), tls.keyFile());
            tlsDigest = digest;
            return store;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("the HTTP door's certificate or key is unusable: " + e.getMessage(), e);
        }
    }

    /**
     * A rotated Secret (new files, or the kubelet's new symlink) is taken up for the next connections; connections
     * already open keep theirs. A pair that does not load (half-written, mismatched) keeps the old one in use.
     */
    private void reloadIfChanged() {
        BridgeSettings.Tls tls = door.tls();
        String digest = null;
        try {
            digest = PemKeyStore.digest(tls.certFile(), tls.keyFile());
            if (digest.equals(tlsDigest) || digest.equals(failedDigest)) {
                return; // unchanged, or the same unusable pair again: said once already
            }
            KeyStore store = loadKeyStore();
            ssl.reload(f -> f.setKeyStore(store));
            metrics.counter("vmclone.bridge.http.tls.reloads", "outcome", "reloaded").increment();
            log.info("bridge: the HTTP door's certificate was reloaded from {}", tls.certFile());
        } catch (Exception e) {
            failedDigest = digest;
            metrics.counter("vmclone.bridge.http.tls.reloads", "outcome", "failed").increment();
            log.warn("bridge: the HTTP door's new certificate or key could not be loaded, the previous one stays in use: {}",
                    e.getMessage());
        }
    }

    /** The one endpoint; everything else is a problem answer. */
    private final class Door extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Connection connection = request.getConnectionMetaData().getConnection();
            deadlines.dispatched(connection);
            Request.addCompletionListener(request, failure -> deadlines.answered(connection));
            try {
                Answer early = beforeTheBody(request, response, callback);
                if (early != null) {
                    send(request, response, callback, early);
                }
            } catch (RuntimeException e) {
                send(request, response, callback, failed(e));
            }
            return true;
        }
    }

    /**
     * Everything decided from the request line and headers. Null when the body is being read (the answer follows
     * asynchronously); else the answer.
     */
    private Answer beforeTheBody(Request request, Response response, Callback callback) {
        // Exact, raw path: no prefix, no "..", no encoded tricks, no trailing slash. A query string is not the path.
        if (!PATH.equals(request.getHttpURI().getPath())) {
            return Answer.problem(Problem.notFound()).closing();
        }
        if (!"POST".equals(request.getMethod())) {
            return Answer.problem(Problem.methodNotAllowed(request.getMethod())).with("Allow", "POST").closing();
        }
        if (request.getLength() > maxBytes) {
            return Answer.problem(Problem.tooLarge(maxBytes)).closing();
        }
        String address = Request.getRemoteAddr(request);
        Answer throttled = admit(request, address, "address");
        if (throttled != null) {
            return throttled;
        }
        String token = BearerToken.from(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (token == null) {
            return Answer.problem(Problem.unauthenticated("send 'Authorization: Bearer <token>' with a Kubernetes token"))
                    .with("WWW-Authenticate", "Bearer").closing();
        }
        Identity user;
        try {
            user = authorizer.authenticate(token).orElse(null);
        } catch (KubernetesClientException e) {
            return failed(e);
        }
        if (user == null) {
            return Answer.problem(Problem.unauthenticated("the bearer token was not accepted by the cluster (TokenReview)"))
                    .with("WWW-Authenticate", "Bearer error=\"invalid_token\"").closing();
        }
        throttled = admit(request, "user:" + user.username(), "user");
        if (throttled != null) {
            return throttled;
        }
        readBody(request).whenComplete((body, failure) -> server.getThreadPool().execute(() -> {
            Answer answer;
            try {
                answer = failure == null ? afterTheBody(request, body, user) : bodyFailed(failure);
            } catch (RuntimeException e) {
                answer = failed(e);
            }
            send(request, response, callback, answer);
        }));
        return null;
    }

    /** Admits one request of {@code client} or answers 429; an admitted one is released when the request completes. */
    private Answer admit(Request request, String client, String kind) {
        ClientLimits.Admission a = limits.admit(client);
        if (!a.admitted()) {
            metrics.counter("vmclone.bridge.http.throttled", "reason", a.refusal().tag, "client", kind).increment();
            return Answer.problem(Problem.throttled(a.refusal(), kind, a.retryAfterSeconds()))
                    .with("Retry-After", String.valueOf(a.retryAfterSeconds())).closing();
        }
        Request.addCompletionListener(request, failure -> limits.release(client));
        return null;
    }

    /** The whole body, at most {@code maxBytes}, within what is left of the request deadline (from the headers). */
    private CompletableFuture<byte[]> readBody(Request request) {
        long left = door.requestTimeout().toNanos() - (System.nanoTime() - request.getHeadersNanoTime());
        CompletableFuture<byte[]> body = Content.Source.asByteArrayAsync(request, maxBytes);
        var timer = timers.schedule(() -> body.completeExceptionally(new DeadlinePassed()), Math.max(0, left), TimeUnit.NANOSECONDS);
        body.whenComplete((b, e) -> timer.cancel(false));
        return body;
    }

    /** The request deadline passed before the body was in (a timeout of our own, told apart from Jetty's idle timeout). */
    private static final class DeadlinePassed extends TimeoutException {
        DeadlinePassed() {
            super("the request deadline passed");
        }
    }

    private Answer bodyFailed(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof DeadlinePassed) {
            return Answer.problem(Problem.timeout("the whole body must arrive within " + door.requestTimeout().toMillis()
                    + " ms of the headers")).closing();
        }
        if (cause instanceof TimeoutException) {
            // Jetty's idle timeout: nothing at all arrived for that long.
            return Answer.problem(Problem.timeout("nothing of the body arrived for " + door.idleTimeout().toMillis() + " ms"))
                    .closing();
        }
        if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
            // Jetty's accumulator refuses content past the limit (a chunked body without Content-Length).
            return Answer.problem(Problem.tooLarge(maxBytes)).closing();
        }
        // The client went away or sent a broken body (bad chunking): nothing to tell it beyond closing.
        log.debug("clone request body could not be read: {}", cause.toString());
        return Answer.problem(Problem.badBody()).closing();
    }

    private Answer afterTheBody(Request request, byte[] body, Identity user) {
        CloneEvent event;
        try {
            event = decode(request, body);
        } catch (InvalidEventException e) {
            return Answer.problem(Problem.invalid(e.field(), e.reason(), Reasons.INVALID_REQUEST));
        }
        try {
            return respond(intake.submit(new ExternalRequest(Origin.HTTP, event.source().toString(), event.id(),
                    event.data(CloneRequest.class), user)));
        } catch (TransientFailure e) {
            return Answer.problem(Problem.unavailable(e.getMessage()));
        }
    }

    private Answer failed(RuntimeException e) {
        if (e instanceof KubernetesClientException k) {
            log.warn("clone request could not be handled: {}", Failures.describe(k));
            return Answer.problem(Failures.isTransient(k) ? Problem.unavailable(Failures.describe(k)) : Problem.internal());
        }
        log.error("clone request failed", e);
        return Answer.problem(Problem.internal());
    }

    private void send(Request request, Response response, Callback callback, Answer answer) {
        metrics.counter("vmclone.bridge.http.requests", "status", String.valueOf(answer.status())).increment();
        response.setStatus(answer.status());
        answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        if (answer.close()) {
            // The body may be unread (refused on the headers): the connection cannot carry another request.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
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
        return new Answer(status, "application/json", EventCodec.serialize(body), Map.of("Location", body.location()), false);
    }

    private CloneEvent decode(Request request, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        Map<String, List<String>> attributes = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            String name = field.getLowerCaseName();
            headers.putIfAbsent(name, field.getValue());
            if (name.startsWith("ce-")) {
                attributes.computeIfAbsent(name.substring(3), n -> new ArrayList<>()).add(field.getValue());
            }
        }
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
            // Not the SDK's message: it names Java classes and parser internals, which tell a caller nothing.
            throw new InvalidEventException("body", "is not a CloudEvent (binary mode needs ce-* headers, structured mode "
                    + "Content-Type: application/cloudevents+json)", e);
        }
        if (!EventType.REQUEST.type().equals(ce.getType())) {
            throw new InvalidEventException("type", "must be " + EventType.REQUEST.type() + ", got '" + ce.getType() + "'");
        }
        return codec.fromCloudEvent(ce);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            log.debug("HTTP door stop: {}", e.toString());
        }
    }

    /** Jetty's own refusals (a malformed request line, headers too large, a bad URI) as problem bodies too. */
    private final class ProblemErrorHandler extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Object status = request.getAttribute(ERROR_STATUS);
            int code = status instanceof Integer i ? i : response.getStatus();
            if (code < 400) {
                code = 500;
            }
            metrics.counter("vmclone.bridge.http.requests", "status", String.valueOf(code)).increment();
            Problem p = Problem.protocol(code);
            response.setStatus(code);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
            response.write(true, ByteBuffer.wrap(p.toJson()), callback);
            return true;
        }
    }

    /** A response: status, content type, body, extra headers, and whether the connection ends with it. */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers, boolean close) {
        static Answer problem(Problem p) {
            return new Answer(p.status(), Problem.CONTENT_TYPE, p.toJson(), Map.of(), false);
        }

        Answer with(String header, String value) {
            Map<String, String> h = new HashMap<>(headers);
            h.put(header, value);
            return new Answer(status, contentType, body, h, close);
        }

        Answer closing() {
            return new Answer(status, contentType, body, headers, true);
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
