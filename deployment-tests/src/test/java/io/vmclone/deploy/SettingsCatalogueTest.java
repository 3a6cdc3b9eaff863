package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.executor.ExecutorHandler;
import io.vmclone.executor.ExecutorSettings;
import io.vmclone.planner.PlannerHandler;
import io.vmclone.runtime.SettingsCatalogue;
import io.vmclone.runtime.StageSettings;
import io.vmclone.status.StatusReporterHandler;
import io.vmclone.status.StatusReporterMain;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md, the catalogue and the code agree on the settings. */
class SettingsCatalogueTest {
    private static final Pattern TABLE_VAR = Pattern.compile("(?m)^\\|\\s*`([A-Z][A-Z0-9_]+)`");
    private static final Pattern CODE_VAR = Pattern.compile("\"(VMCLONE_[A-Z0-9_]+)\"");

    @Test
    void theDocumentedTableListsExactlyTheCataloguedSettingsWithTheirDefaults() {
        String doc = ProjectFiles.read("docs/configuration.md");
        Set<String> documented = new TreeSet<>();
        Matcher m = TABLE_VAR.matcher(doc);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> catalogued = new TreeSet<>();
        SettingsCatalogue.all().forEach(s -> catalogued.add(s.envVar()));
        assertThat(documented).isEqualTo(catalogued);
        for (SettingsCatalogue.Setting s : SettingsCatalogue.all()) {
            String row = doc.lines().filter(l -> l.startsWith("| `" + s.envVar() + "`")).findFirst().orElseThrow().replace("`", "");
            if (!s.defaultValue().isEmpty()) {
                assertThat(row).as("default of %s", s.envVar()).contains(s.defaultValue());
            }
        }
        assertThat(doc).contains("KAFKA_SECURITY_PROTOCOL"); // the pass-through is documented
    }

    @Test
    void everyVariableNamedInTheServicesCodeIsCatalogued() throws Exception {
        Set<String> named = new TreeSet<>();
        for (String module : new String[] {"schemas", "stage-runtime", "bridge", "planner", "executor", "status-reporter"}) {
            for (Path source : ProjectFiles.files(module + "/src/main/java", ".java")) {
                Matcher m = CODE_VAR.matcher(Files.readString(source));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertThat(named).isNotEmpty().allSatisfy(v -> assertThat(SettingsCatalogue.find(v)).as(v).isPresent());
        for (Field f : StageSettings.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("ENV_")) {
                assertThat(SettingsCatalogue.find((String) f.get(null))).as(f.getName()).isPresent();
            }
        }
    }

    @Test
    void serviceSpecificSettingsAreCataloguedForTheirServiceWithTheCodesDefaults() {
        assertSetting(BridgeSettings.ENV_HTTP_PORT, BridgeHandler.STAGE, String.valueOf(BridgeSettings.DEFAULT_HTTP_PORT));
        assertSetting(BridgeSettings.ENV_MAX_REQUEST_BYTES, BridgeHandler.STAGE, String.valueOf(BridgeSettings.DEFAULT_MAX_REQUEST_BYTES));
        assertSetting(ExecutorSettings.ENV_STALL_TIMEOUT, ExecutorHandler.STAGE,
                String.valueOf(ExecutorSettings.DEFAULT_STALL_TIMEOUT_SECONDS));
        assertSetting(ExecutorSettings.ENV_API_ATTEMPTS, ExecutorHandler.STAGE, String.valueOf(ExecutorSettings.DEFAULT_API_ATTEMPTS));
        assertSetting(StatusReporterHandler.ENV_PROGRESS_INTERVAL, StatusReporterMain.SERVICE, "1000");
        // What an unset variable means must be what the code does.
        StageSettings none = StageSettings.from("planner", java.util.Map.of(StageSettings.ENV_BOOTSTRAP, "k:9092"));
        assertThat(String.valueOf(none.httpPort())).isEqualTo(SettingsCatalogue.find(StageSettings.ENV_HTTP_PORT).orElseThrow().defaultValue());
        assertThat(String.valueOf(none.maxAttempts())).isEqualTo(SettingsCatalogue.find(StageSettings.ENV_MAX_ATTEMPTS).orElseThrow().defaultValue());
        assertThat(String.valueOf(none.maxBackoff().toMillis()))
                .isEqualTo(SettingsCatalogue.find(StageSettings.ENV_MAX_BACKOFF).orElseThrow().defaultValue());
        assertThat(String.valueOf(none.replicationFactor()))
                .isEqualTo(SettingsCatalogue.find(StageSettings.ENV_REPLICATION).orElseThrow().defaultValue());
        assertThat(none.groupId()).isEqualTo(SettingsCatalogue.find(StageSettings.ENV_GROUP_PREFIX).orElseThrow().defaultValue() + "-planner");
        assertThat(none.cloneGroup()).isEqualTo(SettingsCatalogue.find(io.vmclone.schemas.kube.KubeResources.ENV_CLONE_GROUP)
                .orElseThrow().defaultValue());
    }

    @Test
    void badServiceSettingsStopTheServiceNamingTheVariable() {
        var env = java.util.Map.of(StageSettings.ENV_BOOTSTRAP, "k:9092", ExecutorSettings.ENV_STALL_TIMEOUT, "soon");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecutorSettings.from(StageSettings.from(ExecutorHandler.STAGE, env)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ExecutorSettings.ENV_STALL_TIMEOUT).hasMessageContaining("soon");
        var bridgeEnv = java.util.Map.of(StageSettings.ENV_BOOTSTRAP, "k:9092", BridgeSettings.ENV_MAX_REQUEST_BYTES, "1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BridgeSettings.from(StageSettings.from(BridgeHandler.STAGE, bridgeEnv)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(BridgeSettings.ENV_MAX_REQUEST_BYTES);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StageSettings.from("planner",
                        java.util.Map.of(StageSettings.ENV_BOOTSTRAP, "k:9092", StageSettings.ENV_HTTP_PORT, "70000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(StageSettings.ENV_HTTP_PORT);
    }

    private static void assertSetting(String envVar, String service, String defaultValue) {
        SettingsCatalogue.Setting s = SettingsCatalogue.find(envVar).orElseThrow(() -> new AssertionError(envVar + " not catalogued"));
        assertThat(s.services()).as(envVar).containsExactly(service);
        assertThat(s.defaultValue()).as(envVar).isEqualTo(defaultValue);
    }

    @Test
    void catalogueServiceNamesAreTheStagesNames() {
        assertThat(SettingsCatalogue.SERVICES).containsExactlyInAnyOrder(BridgeHandler.STAGE, PlannerHandler.STAGE,
                ExecutorHandler.STAGE, StatusReporterMain.SERVICE);
        assertThat(SettingsCatalogue.all()).allSatisfy(s -> assertThat(SettingsCatalogue.SERVICES).containsAll(s.services()));
    }

    @Test
    void kafkaSecuritySettingsPassThroughToTheClients() {
        StageSettings s = StageSettings.from("planner", java.util.Map.of(StageSettings.ENV_BOOTSTRAP, "k:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/vmclone/kafka-tls/ca.p12"));
        assertThat(s.kafkaCommon()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/vmclone/kafka-tls/ca.p12").containsEntry("bootstrap.servers", "k:9093");
        assertThat(SettingsCatalogue.reads("planner", "KAFKA_SASL_JAAS_CONFIG")).isTrue();
        assertThat(SettingsCatalogue.reads("planner", "VMCLONE_NO_SUCH_SETTING")).isFalse();
    }
}
