package io.vmclone.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachingAuthorizerTest {
    private static final Permission GET_VM = new Permission("get", "kubevirt.io", "virtualmachines", "default", "fedora");
    private static final Permission CREATE_DV = new Permission("create", "cdi.kubevirt.io", "datavolumes", "default", null);
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T20:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    /** The API server as seen by the cache: records every review; alice's token is valid, she may not create DataVolumes. */
    private static final class Api implements Authorizer {
        final List<String> tokenReviews = new ArrayList<>();
        final List<String> accessReviews = new ArrayList<>();
        volatile boolean tokenValid = true;

        @Override
        public Optional<Identity> authenticate(String token) {
            tokenReviews.add(token);
            return tokenValid && token.equals("alice-token")
                    ? Optional.of(new Identity("alice", List.of("devs"), "uid-1", Map.of("scope", List.of("a")))) : Optional.empty();
        }

        @Override
        public boolean allowed(Identity user, Permission p) {
            accessReviews.add(user.username() + " " + user.uid() + " " + p.describe());
            return !p.resource().equals("datavolumes");
        }
    }

    private final Api api = new Api();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final CachingAuthorizer cache = new CachingAuthorizer(api, clock, Duration.ofSeconds(10), 100, metrics);

    @Test
    void aValidTokenIsReviewedOncePerTtl() {
        Identity first = cache.authenticate("alice-token").orElseThrow();
        assertThat(cache.authenticate("alice-token")).hasValue(first);
        assertThat(api.tokenReviews).hasSize(1);
        now.set(now.get().plusSeconds(11));
        api.tokenValid = false; // revoked meanwhile: seen once the answer expired
        assertThat(cache.authenticate("alice-token")).isEmpty();
        assertThat(api.tokenReviews).hasSize(2);
        assertThat(metrics.counter("vmclone.bridge.auth.reviews", "review", "TokenReview", "answered_by", "cache").count()).isEqualTo(1);
        assertThat(metrics.counter("vmclone.bridge.auth.reviews", "review", "TokenReview", "answered_by", "api").count()).isEqualTo(2);
    }

    @Test
    void refusalsAreNeverReused() {
        assertThat(cache.authenticate("forged")).isEmpty();
        assertThat(cache.authenticate("forged")).isEmpty();
        assertThat(api.tokenReviews).containsExactly("forged", "forged");
        Identity alice = cache.authenticate("alice-token").orElseThrow();
        assertThat(cache.allowed(alice, CREATE_DV)).isFalse();
        assertThat(cache.allowed(alice, CREATE_DV)).isFalse();
        assertThat(api.accessReviews).hasSize(2);
    }

    @Test
    void anAllowedPermissionIsReviewedOncePerTtlAndUserAndPermission() {
        Identity alice = cache.authenticate("alice-token").orElseThrow();
        assertThat(cache.allowed(alice, GET_VM)).isTrue();
        assertThat(cache.allowed(alice, GET_VM)).isTrue();
        assertThat(api.accessReviews).hasSize(1);
        // Another uid is another user as far as an authorizer may care: not served from alice's answer.
        Identity otherUid = new Identity("alice", List.of("devs"), "uid-2", alice.extra());
        assertThat(cache.allowed(otherUid, GET_VM)).isTrue();
        assertThat(cache.allowed(alice, new Permission("get", "kubevirt.io", "virtualmachines", "default", "cirros"))).isTrue();
        assertThat(api.accessReviews).hasSize(3).anySatisfy(r -> assertThat(r).contains("uid-2"));
        now.set(now.get().plusSeconds(11));
        cache.allowed(alice, GET_VM);
        assertThat(api.accessReviews).hasSize(4);
    }

    @Test
    void aZeroTtlSwitchesTheCacheOff() {
        CachingAuthorizer off = new CachingAuthorizer(api, clock, Duration.ZERO, 100, metrics);
        off.authenticate("alice-token");
        off.authenticate("alice-token");
        assertThat(api.tokenReviews).hasSize(2);
    }

    @Test
    void theCacheIsBounded() {
        CachingAuthorizer small = new CachingAuthorizer(api, clock, Duration.ofSeconds(10), 2, metrics);
        Identity alice = small.authenticate("alice-token").orElseThrow();
        for (String vm : List.of("a", "b", "c")) {
            small.allowed(alice, new Permission("get", "kubevirt.io", "virtualmachines", "default", vm));
        }
        small.allowed(alice, new Permission("get", "kubevirt.io", "virtualmachines", "default", "a"));
        assertThat(api.accessReviews).as("'a' was dropped for 'c'").hasSize(4);
    }
}
