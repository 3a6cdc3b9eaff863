package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vmclone.runtime.HealthProbe;
import io.vmclone.runtime.SettingsCatalogue;
import io.vmclone.runtime.StageSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine here, so compose.yaml is checked against what the services really read: every
 * service exists with the image the "images" profile builds, every variable is a setting that service
 * reads, the kubeconfig is mounted where KUBECONFIG points, and every service has a healthcheck.
 */
class ComposeFileTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode compose() throws Exception {
        return YAML.readTree(ProjectFiles.read("compose.yaml"));
    }

    @Test
    void runsKafkaInKraftModeFromTheOfficialImageWithAHealthcheck() throws Exception {
        JsonNode kafka = compose().path("services").path("kafka");
        assertThat(kafka.path("image").asText()).isEqualTo("apache/kafka:4.1.1");
        assertThat(kafka.path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(kafka.path("environment").has("KAFKA_ZOOKEEPER_CONNECT")).isFalse();
        assertThat(kafka.path("healthcheck").path("test").toString()).contains("kafka-broker-api-versions.sh");
    }

    @Test
    void hasExactlyKafkaAndTheFourServicesEachWithTheImageTheProfileBuilds() throws Exception {
        List<String> names = new ArrayList<>();
        compose().path("services").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("kafka", "bridge", "planner", "executor", "status-reporter");
        for (String service : ProjectFiles.SERVICES) {
            assertThat(compose().path("services").path(service).path("image").asText()).as(service)
                    .isEqualTo(ImageProfileTest.imageOf(service));
        }
    }

    @Test
    void everyVariableIsASettingTheServiceReadsAndRequiredOnesAreSet() throws Exception {
        JsonNode services = compose().path("services");
        for (String service : ProjectFiles.SERVICES) {
            Map<String, String> env = environment(services.path(service));
            assertThat(env.keySet()).as("variables of %s", service)
                    .allSatisfy(var -> assertThat(SettingsCatalogue.reads(service, var))
                            .as("%s reads %s (see SettingsCatalogue / docs/configuration.md)", service, var).isTrue());
            SettingsCatalogue.forService(service).stream().filter(SettingsCatalogue.Setting::required)
                    .forEach(s -> assertThat(env).as(service).containsKey(s.envVar()));
            // The values must pass the services' own validation: a bad one would stop the container at start.
            StageSettings settings = StageSettings.from(service, env);
            assertThat(settings.bootstrapServers()).isEqualTo("kafka:9092");
            assertThat(settings.instanceId()).as("distinct transactional ids").isEqualTo(service + "-1");
        }
    }

    @Test
    void kafkaAddressIsOneTheBrokerAdvertisesToOtherContainers() throws Exception {
        JsonNode services = compose().path("services");
        String advertised = services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
        for (String service : ProjectFiles.SERVICES) {
            String bootstrap = environment(services.path(service)).get(StageSettings.ENV_BOOTSTRAP);
            assertThat(advertised).contains("//" + bootstrap);
            assertThat(services.path(service).path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
        }
    }

    @Test
    void kubeconfigIsMountedWhereKubeconfigPointsAndHealthchecksUseTheProbe() throws Exception {
        JsonNode services = compose().path("services");
        for (String service : ProjectFiles.SERVICES) {
            JsonNode svc = services.path(service);
            String kubeconfig = environment(svc).get(SettingsCatalogue.ENV_KUBECONFIG);
            assertThat(kubeconfig).isEqualTo("/kube/config");
            List<String> targets = new ArrayList<>();
            svc.path("volumes").forEach(v -> targets.add(v.asText().replaceFirst("^\\$\\{[^}]*}", "host").split(":")[1]));
            assertThat(targets).as(service).contains(kubeconfig);

            List<String> test = new ArrayList<>();
            svc.path("healthcheck").path("test").forEach(t -> test.add(t.asText()));
            assertThat(test).as(service).startsWith("CMD", "java", "-cp", "@/app/jib-classpath-file")
                    .contains(HealthProbe.class.getName(), "readyz");
            String port = environment(svc).get(StageSettings.ENV_HTTP_PORT);
            assertThat(svc.path("ports").toString()).contains(":" + port);
        }
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new HashMap<>();
        service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }
}
