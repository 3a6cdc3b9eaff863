package io.vmclone.bridge.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.schemas.EventCodec;
import java.net.URI;

/**
 * An RFC 7807 problem body ({@code application/problem+json}), plus the offending {@code field}, our
 * machine-readable {@code reason} and, for a conflicting duplicate, the {@code location} of the clone the
 * earlier request with the same id became.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String field, String reason, String location) {
    public Problem(URI type, String title, int status, String detail, String field, String reason) {
        this(type, title, status, detail, field, reason, null);
    }

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String BASE = "https://vmclone.io/problems/";

    public static Problem invalid(String field, String detail, String reason) {
        return new Problem(URI.create(BASE + "invalid-request"), "The clone request is invalid", 400, detail, field, reason);
    }

    public static Problem unauthenticated(String detail) {
        return new Problem(URI.create(BASE + "unauthenticated"), "A valid bearer token is required", 401, detail, "Authorization", null);
    }

    public static Problem forbidden(String detail, String reason) {
        return new Problem(URI.create(BASE + "forbidden"), "The requester may not make this clone", 403, detail, "requester", reason);
    }

    public static Problem conflict(String field, String detail, String reason) {
        return new Problem(URI.create(BASE + "conflict"), "The request conflicts with an earlier one", 409, detail, field, reason);
    }

    public static Problem tooLarge(long limit) {
        return new Problem(URI.create(BASE + "too-large"), "The request body is too large", 413,
                "at most " + limit + " bytes are accepted", "body", null);
    }

    public static Problem notFound() {
        return new Problem(URI.create(BASE + "not-found"), "No such endpoint", 404,
                "clone requests are POSTed to exactly /v1/clone-requests", null, null);
    }

    public static Problem methodNotAllowed(String method) {
        return new Problem(URI.create(BASE + "method-not-allowed"), "Only POST is accepted", 405,
                method + " is not supported here; POST a CloudEvent", null, null);
    }

    /** 429: the client (address or user) has too many requests in progress, or sent too many too fast. */
    public static Problem throttled(ClientLimits.Refusal refusal, String client, long retryAfterSeconds) {
        String who = "user".equals(client) ? "this user" : "this client address";
        String detail = switch (refusal) {
            case CONCURRENCY -> who + " has as many requests in progress as it may";
            case RATE -> who + " sent more requests than its rate allows";
            case TOO_MANY_CLIENTS -> "the bridge is tracking as many clients as it may";
        };
        return new Problem(URI.create(BASE + "too-many-requests"), "Too many requests", 429,
                detail + "; try again in " + retryAfterSeconds + " s (Retry-After)", null, refusal.tag);
    }

    /** 408: the body did not arrive whole within the request deadline. */
    public static Problem timeout(String detail) {
        return new Problem(URI.create(BASE + "request-timeout"), "The request body did not arrive in time", 408, detail, "body", null);
    }

    /** 400: the body could not be read as HTTP (broken chunked encoding, a connection cut mid-way). */
    public static Problem badBody() {
        return new Problem(URI.create(BASE + "invalid-request"), "The request body could not be read", 400,
                "the body is not a well-formed HTTP message body", "body", null);
    }

    /**
     * What Jetty refuses before the endpoint sees the request (a malformed request line or header, headers too large,
     * an ambiguous URI): the status, and a detail that names no Java class and quotes nothing of the request.
     */
    public static Problem protocol(int status) {
        String detail = switch (status) {
            case 400 -> "the request is not well-formed HTTP/1.1 (request line, headers or URI)";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request is too large";
            case 414 -> "the request URI is too long";
            case 431 -> "the request's headers are too large";
            case 505 -> "only HTTP/1.1 and HTTP/1.0 are spoken here";
            default -> status >= 500 ? "an internal error occurred; see the bridge's log" : "the request was refused";
        };
        return new Problem(URI.create(BASE + (status >= 500 ? "internal" : "bad-request")), "The request was refused", status,
                detail, null, null);
    }

    public static Problem unavailable(String detail) {
        return new Problem(URI.create(BASE + "unavailable"), "The cluster could not be reached; try again", 503, detail, null, null);
    }

    public static Problem internal() {
        return new Problem(URI.create(BASE + "internal"), "The request could not be handled", 500,
                "an internal error occurred; see the bridge's log", null, null);
    }

    /** The answer to a refused request. */
    public static Problem of(Refused refused) {
        return switch (refused.kind()) {
            case INVALID -> invalid(refused.field(), refused.message(), refused.reason());
            case FORBIDDEN -> forbidden(refused.message(), refused.reason());
            case CONFLICT -> conflict(refused.field(), refused.message(), refused.reason());
        };
    }

    /** The answer to a refused request, with the location of the earlier clone it conflicts with (clones of {@code group}). */
    public static Problem of(Refused refused, String group) {
        Problem p = of(refused);
        return refused.original() == null ? p : new Problem(p.type, p.title, p.status, p.detail, p.field, p.reason,
                AcceptedBody.location(refused.original(), group));
    }

    public byte[] toJson() {
        return EventCodec.serialize(this);
    }
}
