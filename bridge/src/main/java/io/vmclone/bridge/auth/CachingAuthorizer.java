package io.vmclone.bridge.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.vmclone.runtime.BoundedMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A short-lived, bounded memory of the API server's answers, in front of another {@link Authorizer}: a client that
 * sends ten requests in a second costs one TokenReview and three SubjectAccessReviews, not ten and thirty.
 *
 * <ul>
 *   <li>Only <b>positive</b> answers are kept (an authenticated token, an allowed permission), for {@code ttl}. A
 *   revoked token or RoleBinding is therefore still honoured for at most {@code ttl}, the price of the cache (the API
 *   server's own webhook authenticator keeps answers for 2 minutes by default).</li>
 *   <li><b>Refusals are not kept</b>: a token minted a moment ago, or a RoleBinding just granted, works on the very next
 *   try, and a refusal is never served for someone it no longer applies to. Floods of bad tokens are bounded by the
 *   door's per-client rate limit instead, which runs before any review.</li>
 *   <li>Keys are SHA-256 digests: of the token (the token itself is never kept), and of everything a
 *   SubjectAccessReview is asked (user, uid, groups, extra, verb, resource, namespace, name).</li>
 *   <li>At most {@code maxEntries} answers of each kind; the least recently used goes first.</li>
 * </ul>
 */
public final class CachingAuthorizer implements Authorizer {
    private final Authorizer delegate;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Timed<Identity>> tokens;
    private final Map<String, Long> allowed;
    private final MeterRegistry metrics;

    private record Timed<T>(T value, long expiresAtMillis) {}

    public CachingAuthorizer(Authorizer delegate, Clock clock, Duration ttl, int maxEntries, MeterRegistry metrics) {
        this.delegate = delegate;
        this.clock = clock;
        this.ttl = ttl;
        this.tokens = BoundedMap.leastRecentlyUsed(maxEntries);
        this.allowed = BoundedMap.leastRecentlyUsed(maxEntries);
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public Optional<Identity> authenticate(String bearerToken) {
        if (ttl.isZero()) {
            return count("TokenReview", "api", delegate.authenticate(bearerToken));
        }
        String key = sha256(bearerToken);
        long now = clock.millis();
        synchronized (tokens) {
            Timed<Identity> hit = tokens.get(key);
            if (hit != null && hit.expiresAtMillis() > now) {
                return count("TokenReview", "cache", Optional.of(hit.value()));
            }
            tokens.remove(key);
        }
        // Asked outside the lock: one slow review must not hold up the others.
        Optional<Identity> user = delegate.authenticate(bearerToken);
        user.ifPresent(u -> {
            synchronized (tokens) {
                tokens.put(key, new Timed<>(u, now + ttl.toMillis()));
            }
        });
        return count("TokenReview", "api", user);
    }

    @Override
    public boolean allowed(Identity user, Permission permission) {
        if (ttl.isZero()) {
            return count("SubjectAccessReview", "api", delegate.allowed(user, permission));
        }
        String key = sha256(String.join("\u0000", user.username(), String.valueOf(user.uid()), String.join("\u0001", user.groups()),
                user.extra().toString(), permission.verb(), permission.group(), permission.resource(),
                String.valueOf(permission.namespace()), String.valueOf(permission.name())));
        long now = clock.millis();
        synchronized (allowed) {
            Long expires = allowed.get(key);
            if (expires != null && expires > now) {
                return count("SubjectAccessReview", "cache", true);
            }
            allowed.remove(key);
        }
        boolean yes = delegate.allowed(user, permission);
        if (yes) {
            synchronized (allowed) {
                allowed.put(key, now + ttl.toMillis());
            }
        }
        return count("SubjectAccessReview", "api", yes);
    }

    private <T> T count(String review, String answeredBy, T result) {
        metrics.counter("vmclone.bridge.auth.reviews", "review", review, "answered_by", answeredBy).increment();
        return result;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
