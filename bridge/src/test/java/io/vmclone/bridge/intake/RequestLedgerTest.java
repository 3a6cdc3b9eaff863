package io.vmclone.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.kube.ClonePhase;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the bridge remembers of external requests: learned from the log, bounded, the first clone of a key its original. */
class RequestLedgerTest {
    private static final String DIGEST = "ab".repeat(32);

    @Test
    void learnsAnExternalRequestAndHowItsCloneEndedFromTheLog() {
        RequestLedger ledger = new RequestLedger(1_000);
        CloneRef clone = new CloneRef("default", "req-1", "uid-1");
        ledger.learn(requested(clone, new Origin(Origin.HTTP, "/portal", "t-1", DIGEST), "bridge"));
        ledger.learn(CloneEvent.of("executor", EventType.SUCCEEDED, new Succeeded(clone, "copy", List.of()), OffsetDateTime.now(), null));

        KnownRequest known = ledger.find(RequestKeys.requestKey("/portal", "t-1")).orElseThrow();
        assertThat(known.cloneRef()).isEqualTo(clone);
        assertThat(known.phase()).isEqualTo("Succeeded");
        assertThat(known.sameBody(DIGEST)).isTrue();
        assertThat(known.sameBody("cd".repeat(32))).isFalse();
    }

    @Test
    void resourceClonesAndForgedEventsTeachNothing() {
        RequestLedger ledger = new RequestLedger(1_000);
        ledger.learn(requested(new CloneRef("default", "plain", "uid-2"), Origin.resource(), "bridge"));
        ledger.learn(requested(new CloneRef("default", "forged", "uid-3"), new Origin(Origin.HTTP, "/portal", "t-3", DIGEST), "mallory"));

        assertThat(ledger.size()).isZero();
    }

    @Test
    void theFirstCloneOfAKeyStaysItsOriginal() {
        RequestLedger ledger = new RequestLedger(1_000);
        String key = RequestKeys.requestKey("/portal", "t-4");
        ledger.remember(new KnownRequest(key, DIGEST, new CloneRef("a", "first", "uid-a"), null, null));
        ledger.remember(new KnownRequest(key, DIGEST, new CloneRef("b", "second", "uid-b"), null, null));
        ledger.ended("uid-b", ClonePhase.Failed);

        assertThat(ledger.find(key).orElseThrow().cloneRef().name()).isEqualTo("first");
        assertThat(ledger.find(key).orElseThrow().phase()).isNull();
    }

    @Test
    void keepsTheNewestRequestsUpToItsBoundAndCountsTheForgotten() {
        RequestLedger ledger = new RequestLedger(1_000);
        for (int i = 0; i < 1_500; i++) {
            ledger.remember(new KnownRequest(RequestKeys.requestKey("/bulk", "r-" + i), DIGEST, new CloneRef("ns", "c-" + i, "u-" + i),
                    null, null));
        }
        ledger.ended("u-0", ClonePhase.Succeeded); // forgotten: nothing to update, nothing grows

        assertThat(ledger.size()).isEqualTo(1_000);
        assertThat(ledger.forgotten()).isEqualTo(500);
        assertThat(ledger.find(RequestKeys.requestKey("/bulk", "r-499"))).isEmpty();
        assertThat(ledger.find(RequestKeys.requestKey("/bulk", "r-500"))).isPresent();
        assertThat(ledger.find(RequestKeys.requestKey("/bulk", "r-1499"))).isPresent();
    }

    /**
     * The figure behind the documented bound: 100,000 requests as the intake makes them (derived name, uid, an
     * intake record) retain about 300 bytes each. Measured over the whole heap, so the bound here is loose.
     */
    @Test
    void aRememberedRequestCostsAFewHundredBytes() {
        int n = 100_000;
        long before = liveHeap();
        RequestLedger ledger = new RequestLedger(n);
        for (int i = 0; i < n; i++) {
            String key = RequestKeys.requestKey("/ticketing", "ticket-" + i);
            ledger.remember(new KnownRequest(key, RequestKeys.digest(new io.vmclone.schemas.events.CloneRequest("default", null,
                    CloneSpec.of("web", "copy-" + i))), new CloneRef(new String("default"), "req-" + key, java.util.UUID.randomUUID().toString()),
                    null, "vmclone.intake-" + (i % 6) + "@" + i));
        }
        long perEntry = (liveHeap() - before) / n;
        System.out.println("request ledger: " + perEntry + " bytes per remembered request (" + n + " requests)");
        assertThat(ledger.size()).isEqualTo(n);
        assertThat(perEntry).isBetween(50L, 1024L);
    }

    private static long liveHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static CloneEvent requested(CloneRef clone, Origin origin, String stage) {
        return CloneEvent.of(stage, EventType.REQUESTED, new Requested(clone, 1L, CloneSpec.of("web", "copy"),
                Requester.trusted(null, "test"), origin), OffsetDateTime.now(), null);
    }
}
