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
        BridgeSettings s = BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_PLAIN_HTTP, "true")));
        assertThat(s.httpPort()).isEqualTo(8090);
        assertThat(s.maxRequestBytes()).isEqualTo(256 * 1024);
        assertThat(s.replayLog()).isTrue();
        assertThat(s.door().requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(s.door().idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(s.door().reviewCacheTtl()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(s.door().tls()).isNull();
        assertThat(BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_PLAIN_HTTP, "true", BridgeSettings.ENV_REQUEST_TIMEOUT_MS, "1500")))
                .door().requestTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
    }

    /** TLS is the default: a door without certificate files starts only when plain HTTP is asked for by name. */
    @Test
    void theDoorNeedsTlsUnlessPlainHttpIsAskedFor() {
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of())))
                .hasMessageContaining(BridgeSettings.ENV_TLS_CERT_FILE).hasMessageContaining(BridgeSettings.ENV_PLAIN_HTTP);
        assertThat(BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_HTTP_PORT, "-1"))).door().tls()).as("no door, no TLS").isNull();
        var tls = BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_TLS_CERT_FILE, "/tls/tls.crt",
                BridgeSettings.ENV_TLS_KEY_FILE, "/tls/tls.key"))).door().tls();
        assertThat(tls.certFile()).hasToString("/tls/tls.crt");
        assertThat(tls.keyFile()).hasToString("/tls/tls.key");
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_TLS_CERT_FILE, "/tls/tls.crt"))))
                .hasMessageContaining(BridgeSettings.ENV_TLS_KEY_FILE);
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_TLS_CERT_FILE, "/tls/tls.crt",
                BridgeSettings.ENV_TLS_KEY_FILE, "/tls/tls.key", BridgeSettings.ENV_PLAIN_HTTP, "true"))))
                .hasMessageContaining("contradict");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_MAX_REQUEST_BYTES, "10"))))
                .hasMessageContaining(BridgeSettings.ENV_MAX_REQUEST_BYTES);
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_REPLAY_LOG, "yes"))))
                .hasMessageContaining(BridgeSettings.ENV_REPLAY_LOG);
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_PLAIN_HTTP, "true",
                BridgeSettings.ENV_REQUEST_TIMEOUT_MS, "50")))).hasMessageContaining(BridgeSettings.ENV_REQUEST_TIMEOUT_MS);
        assertThatThrownBy(() -> BridgeSettings.from(settings(Map.of(BridgeSettings.ENV_PLAIN_HTTP, "true",
                BridgeSettings.ENV_CLIENT_RATE, "0")))).hasMessageContaining(BridgeSettings.ENV_CLIENT_RATE);
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
