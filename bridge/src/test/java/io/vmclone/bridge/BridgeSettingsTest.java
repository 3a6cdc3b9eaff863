package io.vmclone.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmclone.runtime.StageSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {
    @Test
    void defaults() {
        BridgeSettings s = BridgeSettings.from(settings(Map.of()));
        assertThat(s.httpPort()).isEqualTo(8090);
        assertThat(s.maxRequestBytes()).isEqualTo(256 * 1024);
        assertThat(s.replayLog()).isTrue();
        assertThat(BridgeSettings.requestTimeoutSeconds(Map.of())).isEqualTo(10);
        assertThat(BridgeSettings.requestTimeoutSeconds(Map.of(BridgeSettings.ENV_REQUEST_TIMEOUT_MS, "1500"))).isEqualTo(2);
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_MAX_REQUEST_BYTES, "10"))))
                .hasMessageContaining(BridgeSettings.ENV_MAX_REQUEST_BYTES);
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_REPLAY_LOG, "yes"))))
                .hasMessageContaining(BridgeSettings.ENV_REPLAY_LOG);
        assertThatThrownBy(() -> BridgeSettings.requestTimeoutSeconds(Map.of(BridgeSettings.ENV_REQUEST_TIMEOUT_MS, "50")))
                .hasMessageContaining(BridgeSettings.ENV_REQUEST_TIMEOUT_MS);
        assertThat(BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_HTTP_PORT, "-1"))).httpPort()).isEqualTo(-1);
    }

    /** Unset, nothing is trusted and no group may be asserted; a bad value stops the bridge naming the variable. */
    @Test
    void kafkaIntakeRequesterSettings() {
        assertThat(BridgeSettings.intakeTrust(settings(Map.of()))).isEqualTo(io.vmclone.bridge.intake.IntakeTrust.NONE);
        var trust = BridgeSettings.intakeTrust(settings(Map.of(BridgeSettings.ENV_INTAKE_TRUSTED_SOURCES, "/a, /b",
                BridgeSettings.ENV_INTAKE_REQUESTER_GROUPS, "{\"/c\": [\"team-c\"]}")));
        assertThat(trust.trustedSources()).containsExactlyInAnyOrder("/a", "/b");
        assertThat(trust.assertableGroups()).isEqualTo(Map.of("/c", java.util.Set.of("team-c")));
        assertThatThrownBy(() -> BridgeSettings.intakeTrust(settings(Map.of(BridgeSettings.ENV_INTAKE_REQUESTER_GROUPS, "/c=team-c"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(BridgeSettings.ENV_INTAKE_REQUESTER_GROUPS);
    }

    private static StageSettings settings(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put(StageSettings.ENV_BOOTSTRAP, "localhost:9092");
        return StageSettings.from("bridge", env);
    }
}
