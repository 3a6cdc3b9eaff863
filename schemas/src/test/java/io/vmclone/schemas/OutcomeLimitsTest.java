package io.vmclone.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Rejected;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutcomeLimitsTest {
    private static final CloneRef CLONE = new CloneRef("ns", "c", "uid");

    record Cut(String name, String text, int max, String expectedStart, int expectedLength) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Cut> cuts() {
        String huge = "\u0001".repeat(200_000);
        return List.of(
                new Cut("short text is kept", "hello", 10, "hello", 5),
                new Cut("text at the limit is kept", "x".repeat(10), 10, "xxxxxxxxxx", 10),
                new Cut("control characters are cut to the limit", huge, 512, "\u0001\u0001", 512),
                new Cut("a surrogate pair is never split", "a" + "\uD83D\uDE00".repeat(400), 100, "a\uD83D\uDE00", -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuts")
    void truncateKeepsTheStartAndSaysHowLongTheTextWas(Cut c) {
        String cut = OutcomeLimits.truncate(c.text(), c.max());
        assertThat(cut).startsWith(c.expectedStart()).hasSizeLessThanOrEqualTo(c.max());
        if (c.expectedLength() >= 0) {
            assertThat(cut).hasSize(c.expectedLength());
        }
        if (c.text().length() > c.max()) {
            assertThat(cut).contains(c.text().length() + " chars, sha256 " + OutcomeLimits.sha256(c.text()).substring(0, 16));
            assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf('…') - 1))).isFalse();
        }
    }

    @Test
    void rejectionsAndFailuresAreCutToTheDocumentedLimitsAndOtherEventsPassAsTheyAre() {
        String huge = "\u0001".repeat(100_000);
        CloneEvent rejected = CloneEvent.of("bridge", EventType.REJECTED, new Rejected(CLONE, "bridge", "InvalidRequest", huge, huge, huge),
                OffsetDateTime.now(), null);
        CloneEvent failed = CloneEvent.of("executor", EventType.FAILED, new Failed(CLONE, "executor", "ApplyFailed", "", huge),
                OffsetDateTime.now(), null);

        Rejected r = OutcomeLimits.bounded(rejected).data(Rejected.class);
        Failed f = OutcomeLimits.bounded(failed).data(Failed.class);

        assertThat(r.field()).hasSize(OutcomeLimits.FIELD);
        assertThat(r.message()).hasSize(OutcomeLimits.MESSAGE);
        assertThat(r.correlationId()).hasSize(OutcomeLimits.CORRELATION_ID);
        assertThat(f.message()).as("the schema wants a message").isEqualTo("(no message)");
        assertThat(f.targetName()).hasSize(OutcomeLimits.TARGET_NAME);
        assertThat(OutcomeLimits.bounded(rejected).id()).isEqualTo(rejected.id());
        CloneEvent small = CloneEvent.of("bridge", EventType.REJECTED, new Rejected(CLONE, "bridge", "InvalidSpec", "spec", "no", null),
                OffsetDateTime.now(), null);
        assertThat(OutcomeLimits.bounded(small)).isSameAs(small);
        assertThat(new EventCodec().fromCloudEvent(new EventCodec().toCloudEvent(OutcomeLimits.bounded(failed))).data(Failed.class))
                .as("a bounded failure still passes its schema").isEqualTo(f);
    }
}
