package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmclone.runtime.StageSettings;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The services' logback.xml writes one JSON object per line with the clone key, event id and stage. */
class JsonLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLogLineIsJsonWithCloneEventIdAndStage() throws Exception {
        Encoder<ILoggingEvent> encoder = productionEncoder();
        // The running logging system (its MDC is what StageLoop fills), encoded by the production encoder.
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        MDC.put("stage", "planner");
        MDC.put("clone", "default/fedora-clone");
        MDC.put("eventId", "3f1c0e4e-0000-4000-8000-000000000001");
        try {
            LoggingEvent event = new LoggingEvent("io.vmclone.Test", context.getLogger("io.vmclone.planner"), Level.INFO,
                    "planned {} volume(s)", null, new Object[] {2});
            event.setTimeStamp(java.time.Instant.parse("2026-12-02T20:31:29.007Z").toEpochMilli());
            event.prepareForDeferredProcessing();
            String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

            assertThat(line.strip()).doesNotContain("\n");
            JsonNode json = JSON.readTree(line);
            assertThat(json.path("level").asText()).isEqualTo("INFO");
            assertThat(json.path("formattedMessage").asText()).isEqualTo("planned 2 volume(s)");
            JsonNode mdc = json.path("mdc");
            assertThat(mdc.path("clone").asText()).isEqualTo("default/fedora-clone");
            assertThat(mdc.path("eventId").asText()).isEqualTo("3f1c0e4e-0000-4000-8000-000000000001");
            assertThat(mdc.path("stage").asText()).isEqualTo("planner");
            // ISO-8601, UTC, milliseconds, first: the event's own time, not epoch milliseconds.
            assertThat(json.fieldNames().next()).isEqualTo("timestamp");
            assertThat(json.path("timestamp").asText()).isEqualTo("2026-12-02T20:31:29.007Z");
        } finally {
            MDC.clear();
        }
    }

    @Test
    void settingsNeverPrintKafkaSecrets() {
        String secret = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"s3cr3t\";";
        StageSettings settings = StageSettings.from("planner", Map.of(StageSettings.ENV_BOOTSTRAP, "k:9093",
                "KAFKA_SASL_JAAS_CONFIG", secret, "KAFKA_SSL_TRUSTSTORE_PASSWORD", "tr0ststore"));
        assertThat(settings.toString()).doesNotContain("s3cr3t").doesNotContain("tr0ststore").contains("sasl.jaas.config");
    }

    /** The encoder configured by stage-runtime's logback.xml (not the tests' vmclone-test-logback.xml). */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> productionEncoder() throws Exception {
        URL config = StageSettings.class.getClassLoader().getResource("logback.xml");
        assertThat(config).isNotNull();
        assertThat(config.toString()).contains("stage-runtime");
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
        var appender = (OutputStreamAppender<ILoggingEvent>) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("JSON");
        return appender.getEncoder();
    }
}
