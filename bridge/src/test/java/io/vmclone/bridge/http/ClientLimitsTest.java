package io.vmclone.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.bridge.http.ClientLimits.Refusal;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void aClientMayHaveAtMostItsConcurrencyInProgressAndOthersAreNotAffected() {
        ClientLimits limits = new ClientLimits(2, 100, 100, 10, now::get);
        assertThat(limits.admit("a").admitted()).isTrue();
        assertThat(limits.admit("a").admitted()).isTrue();
        ClientLimits.Admission third = limits.admit("a");
        assertThat(third.refusal()).isEqualTo(Refusal.CONCURRENCY);
        assertThat(third.retryAfterSeconds()).isEqualTo(1);
        assertThat(limits.admit("b").admitted()).as("another client").isTrue();
        limits.release("a");
        assertThat(limits.admit("a").admitted()).as("after one ended").isTrue();
    }

    @Test
    void theRateIsATokenBucketAndRetryAfterSaysWhenTheNextTokenComes() {
        ClientLimits limits = new ClientLimits(100, 0.5, 3, 10, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.admit("a").admitted()).as("burst " + i).isTrue();
            limits.release("a");
        }
        ClientLimits.Admission refused = limits.admit("a");
        assertThat(refused.refusal()).isEqualTo(Refusal.RATE);
        assertThat(refused.retryAfterSeconds()).as("one token per 2 s").isEqualTo(2);
        now.addAndGet(2_000_000_000L);
        assertThat(limits.admit("a").admitted()).isTrue();
        assertThat(limits.admit("a").refusal()).isEqualTo(Refusal.RATE);
    }

    @Test
    void idleClientsAreForgottenAndTheNumberTrackedIsBounded() {
        ClientLimits limits = new ClientLimits(10, 1, 1, 2, now::get);
        assertThat(limits.admit("a").admitted()).isTrue();
        assertThat(limits.admit("b").admitted()).isTrue();
        assertThat(limits.admit("c").refusal()).as("two in progress, bound 2").isEqualTo(Refusal.TOO_MANY_CLIENTS);
        limits.release("a");
        limits.release("b");
        now.addAndGet(1_000_000_000L); // their buckets are full again: nothing to remember
        assertThat(limits.tracked()).isZero();
        assertThat(limits.admit("c").admitted()).isTrue();
    }
}
