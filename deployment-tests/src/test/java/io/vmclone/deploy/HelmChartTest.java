package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vmclone.runtime.SettingsCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * deploy/helm/vmclone renders the same objects as the kustomize manifests: `helm template --include-crds` with the
 * default values against `kubectl kustomize deploy/base`, and with deploy/helm/values-*.yaml against the matching
 * overlay. Objects are matched by kind, namespace and name and must be equal in full, except for the Helm labels
 * below (documented in docs/operations.md), which every templated chart object carries in metadata.labels (the CRDs
 * come untemplated from crds/, a link to deploy/base/crd).
 */
class HelmChartTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String CHART = "deploy/helm/vmclone";
    private static final String RELEASE = "vmclone";
    /** The only labels the chart adds to deploy/base's, with their values for the release above. */
    static final Map<String, String> HELM_LABELS = Map.of(
            "helm.sh/chart", "vmclone-" + ProjectFiles.projectVersion(),
            "app.kubernetes.io/managed-by", "Helm",
            "app.kubernetes.io/instance", RELEASE);

    @Test
    void defaultValuesRenderWhatDeployBaseRenders() {
        assertSameObjects(helmTemplate(), kustomize("deploy/base"));
    }

    @Test
    void namespacedValuesRenderWhatTheNamespacedOverlayRenders() {
        assertSameObjects(helmTemplate("-f", "deploy/helm/values-namespaced.yaml"), kustomize("deploy/overlays/namespaced"));
    }

    @Test
    void kafkaSaslTlsValuesRenderWhatTheKafkaSaslTlsOverlayRenders() {
        assertSameObjects(helmTemplate("-f", "deploy/helm/values-kafka-sasl-tls.yaml"),
                kustomize("deploy/overlays/kafka-sasl-tls"));
    }

    @Test
    void theCrdsAreDeployBasesFilesNotACopy() throws IOException {
        Path crds = ProjectFiles.root().resolve(CHART).resolve("crds");
        assertThat(Files.isSymbolicLink(crds)).as("%s is a link to deploy/base/crd", crds).isTrue();
        assertThat(crds.toRealPath()).isEqualTo(ProjectFiles.root().resolve("deploy/base/crd").toRealPath());
        // And helm takes them: both CRDs are in the rendering (the comparison above checks their content).
        assertThat(helmTemplate().keySet()).contains("CustomResourceDefinition//virtualmachineclones.vmclone.io",
                "CustomResourceDefinition//virtualmachineclonesets.vmclone.io");
    }

    @Test
    void chartVersionAndDefaultImageTagsFollowTheProjectVersion() throws IOException {
        JsonNode chart = YAML.readTree(ProjectFiles.read(CHART + "/Chart.yaml"));
        assertThat(chart.path("version").asText()).isEqualTo(ProjectFiles.projectVersion());
        assertThat(chart.path("appVersion").asText()).isEqualTo(ProjectFiles.projectVersion());
        Set<String> images = new java.util.TreeSet<>();
        helmTemplate().values().stream().filter(o -> o.path("kind").asText().equals("Deployment"))
                .forEach(d -> images.add(container(d).path("image").asText()));
        Set<String> built = new java.util.TreeSet<>();
        ProjectFiles.SERVICES.forEach(s -> built.add(ImageProfileTest.imageOf(s)));
        assertThat(images).isEqualTo(built);
    }

    @Test
    void imagesAndTheBridgesHttpTlsComeFromValues() {
        Map<String, JsonNode> out = helmTemplate(
                "--set", "planner.image.repository=registry.example.com/vmclone/planner",
                "--set", "planner.image.tag=1.2.3",
                "--set", "executor.replicas=4",
                "--set", "bridge.httpTls.secretName=vmclone-bridge-tls");
        assertThat(container(out.get("Deployment/vmclone/vmclone-planner")).path("image").asText())
                .isEqualTo("registry.example.com/vmclone/planner:1.2.3");
        assertThat(out.get("Deployment/vmclone/vmclone-executor").path("spec").path("replicas").asInt()).isEqualTo(4);

        JsonNode bridge = out.get("Deployment/vmclone/vmclone-bridge");
        JsonNode c = container(bridge);
        assertThat(env(c)).containsEntry("VMCLONE_BRIDGE_HTTP_TLS_CERT_FILE", "/etc/vmclone/http-tls/tls.crt")
                .containsEntry("VMCLONE_BRIDGE_HTTP_TLS_KEY_FILE", "/etc/vmclone/http-tls/tls.key");
        assertThat(c.path("volumeMounts").toString()).contains("{\"name\":\"http-tls\",\"mountPath\":\"/etc/vmclone/http-tls\",\"readOnly\":true}");
        assertThat(bridge.path("spec").path("template").path("spec").path("volumes").toString())
                .contains("{\"name\":\"http-tls\",\"secret\":{\"secretName\":\"vmclone-bridge-tls\"}}");
        // Only the bridge has an HTTP door.
        assertThat(env(container(out.get("Deployment/vmclone/vmclone-planner")))).doesNotContainKey("VMCLONE_BRIDGE_HTTP_TLS_CERT_FILE");

        JsonNode plain = container(helmTemplate("--set", "bridge.httpTls.secretName=").get("Deployment/vmclone/vmclone-bridge"));
        assertThat(env(plain)).as("no Secret: plain HTTP, asked for by name").containsEntry("VMCLONE_BRIDGE_HTTP_PLAIN", "true")
                .doesNotContainKey("VMCLONE_BRIDGE_HTTP_TLS_CERT_FILE");
    }

    @Test
    void everySettingTheChartCanSetIsOneTheServicesRead() {
        Map<String, JsonNode> out = helmTemplate("-f", "deploy/helm/values-kafka-sasl-tls.yaml",
                "--set", "servedNamespaces={team-a,team-b}", "--set", "kafka.properties.KAFKA_CLIENT_DNS_LOOKUP=use_all_dns_ips",
                "--set", "bridge.httpTls.secretName=vmclone-bridge-tls");
        JsonNode config = out.get("ConfigMap/vmclone/vmclone-config").path("data");
        assertThat(config.path("VMCLONE_NAMESPACES").asText()).isEqualTo("team-a,team-b");
        config.fieldNames().forEachRemaining(v -> ProjectFiles.SERVICES.forEach(
                svc -> assertThat(SettingsCatalogue.reads(svc, v)).as("%s reads %s", svc, v).isTrue()));
        for (String svc : ProjectFiles.SERVICES) {
            for (String v : env(container(out.get("Deployment/vmclone/vmclone-" + svc))).keySet()) {
                assertThat(SettingsCatalogue.reads(svc, v)).as("%s reads %s", svc, v).isTrue();
            }
        }
    }

    @Test
    void namespacedModeWithoutNamespacesAndUnknownModesAreRefused() {
        Tools.Result noNamespaces = Tools.helm("template", RELEASE, CHART, "--set", "rbac.mode=namespaced");
        assertThat(noNamespaces.exitCode()).isNotZero();
        assertThat(noNamespaces.stderr()).contains("rbac.mode=namespaced needs servedNamespaces");
        Tools.Result unknown = Tools.helm("template", RELEASE, CHART, "--set", "rbac.mode=global");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("rbac.mode must be cluster or namespaced, not \"global\"");
    }

    @Test
    void helmLintFindsNothingWrong() {
        for (String values : List.of("deploy/helm/vmclone/values.yaml", "deploy/helm/values-namespaced.yaml",
                "deploy/helm/values-kafka-sasl-tls.yaml")) {
            Tools.Result lint = Tools.helm("lint", "--strict", CHART, "-f", values);
            assertThat(lint.exitCode()).as("helm lint with %s:%n%s%s", values, lint.stdout(), lint.stderr()).isZero();
        }
    }

    @Test
    void theHelmLabelsAreDocumented() {
        String ops = ProjectFiles.read("docs/operations.md");
        HELM_LABELS.keySet().forEach(l -> assertThat(ops).contains("`" + l + "`"));
    }

    // --- rendering and comparing

    private static void assertSameObjects(Map<String, JsonNode> helm, Map<String, JsonNode> kustomize) {
        for (JsonNode o : helm.values()) {
            stripHelmLabels(o);
        }
        assertThat(helm.keySet()).as("kind/namespace/name of the objects").isEqualTo(kustomize.keySet());
        for (String key : kustomize.keySet()) {
            assertThat(helm.get(key)).as("%s (helm, then kustomize):%n%s%n%s", key, yaml(helm.get(key)), yaml(kustomize.get(key)))
                    .isEqualTo(kustomize.get(key));
        }
    }

    private static void stripHelmLabels(JsonNode o) {
        String key = key(o);
        JsonNode labels = o.path("metadata").path("labels");
        if (o.path("kind").asText().equals("CustomResourceDefinition")) {
            // crds/ is installed as it is, never templated: the CRDs are deploy/base's files byte for byte.
            assertThat(HELM_LABELS.keySet()).as("%s labels", key).noneMatch(labels::has);
            return;
        }
        HELM_LABELS.forEach((label, value) -> assertThat(labels.path(label).asText()).as("%s label %s", key, label).isEqualTo(value));
        ((ObjectNode) labels).remove(HELM_LABELS.keySet());
    }

    static Map<String, JsonNode> helmTemplate(String... args) {
        List<String> command = new ArrayList<>(List.of("template", RELEASE, CHART, "--include-crds"));
        command.addAll(List.of(args));
        Tools.Result r = Tools.helm(command.toArray(String[]::new));
        assertThat(r.exitCode()).as("helm %s: %s", command, r.stderr()).isZero();
        return objects(r.stdout());
    }

    static Map<String, JsonNode> kustomize(String dir) {
        Tools.Result r = Tools.kubectl("kustomize", dir);
        assertThat(r.exitCode()).as("kubectl kustomize %s: %s", dir, r.stderr()).isZero();
        return objects(r.stdout());
    }

    /** The objects of a multi-document YAML stream by kind/namespace/name; a name twice is an error. */
    static Map<String, JsonNode> objects(String stream) {
        Map<String, JsonNode> out = new TreeMap<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(stream)) {
            while (docs.hasNext()) {
                JsonNode o = docs.next();
                if (o == null || o.isNull() || o.isEmpty()) {
                    continue;
                }
                assertThat(out.put(key(o), o)).as("%s rendered twice", key(o)).isNull();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String key(JsonNode o) {
        JsonNode m = o.path("metadata");
        return o.path("kind").asText() + "/" + m.path("namespace").asText("") + "/" + m.path("name").asText();
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").path(0);
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> out = new TreeMap<>();
        container.path("env").forEach(e -> out.put(e.path("name").asText(), e.path("value").asText()));
        return out;
    }

    private static String yaml(JsonNode o) {
        try {
            return YAML.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
