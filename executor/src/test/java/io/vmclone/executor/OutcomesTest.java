package io.vmclone.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.EventType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomesTest {
    @Test
    void keepsTheLatestOutcomesUpToItsCapacity() {
        Outcomes outcomes = new Outcomes(2);
        outcomes.record("a", EventType.SUCCEEDED);
        outcomes.record("b", EventType.FAILED);
        outcomes.record("c", EventType.CANCELLED);
        assertThat(outcomes.ended("a")).isFalse();
        assertThat(outcomes.of("b")).contains(EventType.FAILED);
        assertThat(outcomes.of("c")).contains(EventType.CANCELLED);
        outcomes.record("d", EventType.PLANNED);
        assertThat(outcomes.ended("d")).as("only terminal outcomes").isFalse();
    }

    @Test
    void aRebalanceReadingManyOutcomesFromTheLogKeepsTheOnesThisInstanceDecided() {
        Outcomes outcomes = new Outcomes(3);
        outcomes.record("mine", EventType.SUCCEEDED); // decided here, maybe not in the log yet
        Map<String, EventType> fromLog = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            fromLog.put("old-" + i, EventType.SUCCEEDED);
        }
        outcomes.recordAll(fromLog);
        assertThat(outcomes.ended("mine")).isTrue();
        assertThat(outcomes.ended("old-9")).as("the latest from the log").isTrue();
        assertThat(outcomes.ended("old-0")).as("the oldest from the log make room").isFalse();
    }
}
