package io.vmclone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who made a request: the driver's in-JVM clients send a header, service processes a token naming them. */
class ApiWriteCounterTest {
    @Test
    void theActorHeaderNamesTheActorWhateverTheToken() {
        assertThat(ApiWriteCounter.actor("planner", "Bearer " + ApiWriteCounter.token("executor"))).isEqualTo("planner");
    }

    @Test
    void withoutTheHeaderTheBenchTokenNamesTheActor() {
        assertThat(ApiWriteCounter.actor(null, "Bearer " + ApiWriteCounter.token("status-reporter"))).isEqualTo("status-reporter");
        assertThat(ApiWriteCounter.actor(null, "Bearer sandbox")).isEqualTo("unknown");
        assertThat(ApiWriteCounter.actor(null, null)).isEqualTo("unknown");
    }
}
