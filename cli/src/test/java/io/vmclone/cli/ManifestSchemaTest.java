package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CloneCrd;
import io.vmclone.schemas.kube.KubeResources;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code create clone} prints is accepted by the CRD's own schema (the mock API server does not
 * enforce it, so we check here): {@code spec} against {@code openAPIV3Schema.properties.spec}.
 */
class ManifestSchemaTest {
    private static Schema specSchema;

    @BeforeAll
    static void loadSchema() throws Exception {
        JsonNode crd = Json.YAML.readTree(CloneCrd.yaml(KubeResources.DEFAULT_CLONE_GROUP));
        JsonNode spec = crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema").path("properties").path("spec");
        assertThat(spec.isObject()).as("CRD has a spec schema").isTrue();
        JsonNode jsonSchema = withoutKubernetesExtensions(spec.deepCopy());
        specSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Json.MAPPER.writeValueAsString(jsonSchema), InputFormat.JSON);
    }

    /** OpenAPI v3 is JSON Schema plus {@code x-kubernetes-*} keys (CEL rules, list types): drop those. */
    private static JsonNode withoutKubernetesExtensions(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                if (it.next().startsWith("x-kubernetes-")) {
                    it.remove();
                }
            }
            o.elements().forEachRemaining(ManifestSchemaTest::withoutKubernetesExtensions);
        } else if (node.isArray()) {
            node.forEach(ManifestSchemaTest::withoutKubernetesExtensions);
        }
        return node;
    }

    private static List<com.networknt.schema.Error> violations(JsonNode spec) throws Exception {
        return specSchema.validate(Json.MAPPER.writeValueAsString(spec), InputFormat.JSON);
    }

    private static JsonNode printedSpec(String... args) throws Exception {
        Cli.Result r = Cli.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return Json.YAML.readTree(r.out()).path("spec");
    }

    @Test
    void everyFlagAtOnceGivesASchemaValidSpec() throws Exception {
        JsonNode spec = printedSpec("create", "clone", "--source-name", "fedora", "--target-name", "fedora-2",
                "--label-filter", "*", "--label-filter", "!backup", "--annotation-filter", "owner",
                "--template-label-filter", "app*", "--template-annotation-filter", "!ovn.kubernetes.io/*",
                "--new-mac-address", "default:02:00:00:00:00:01", "--new-mac-address", "storage-net:02-00-00-00-00-02",
                "--new-smbios-serial", "SER-2", "--volume-name-policy", "PrefixTargetName", "--backend-storage", "Copy",
                "--patch", "{\"op\":\"add\",\"path\":\"/spec/template/spec/domain/cpu/cores\",\"value\":4}");
        assertThat(spec.size()).as("every flag reached the spec").isGreaterThanOrEqualTo(10);
        assertThat(violations(spec)).isEmpty();
    }

    @Test
    void minimalAndSnapshotSpecsAreSchemaValid() throws Exception {
        assertThat(violations(printedSpec("create", "clone", "--source-name", "fedora"))).isEmpty();
        assertThat(violations(printedSpec("create", "clone", "--source-name", "golden", "--source-type", "snapshot",
                "--target-name", "from-golden"))).isEmpty();
    }

    @Test
    void theSchemaCheckItselfCatchesBadSpecs() throws Exception {
        // Guard against a vacuous validator: the same schema refuses what the CLI refuses.
        JsonNode badMac = Json.MAPPER.valueToTree(Map.of(
                "source", Map.of("apiGroup", "kubevirt.io", "kind", "VirtualMachine", "name", "a"),
                "newMacAddresses", Map.of("nic0", "02:00:00-00:00:01")));
        assertThat(violations(badMac)).isNotEmpty();
        JsonNode noSource = Json.MAPPER.valueToTree(Map.of("labelFilters", List.of("app")));
        assertThat(violations(noSource)).isNotEmpty();
    }
}
