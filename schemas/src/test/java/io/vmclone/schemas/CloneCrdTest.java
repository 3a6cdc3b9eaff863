package io.vmclone.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.vmclone.schemas.kube.CloneCrd;
import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRD as kubectl would see it: served group, status subresource, columns, short names, validation. Patterns
 * are matched with RE2/J, the semantics of Go's regexp that kube-apiserver compiles them with.
 */
class CloneCrdTest {
    private final CustomResourceDefinition crd = CloneCrd.load("vmclone.io");
    private final CustomResourceDefinitionVersion v1beta1 = crd.getSpec().getVersions().get(0);
    private final JSONSchemaProps spec = v1beta1.getSchema().getOpenAPIV3Schema().getProperties().get("spec");

    @Test
    void servesV1beta1InOurGroupWithStatusSubresource() {
        assertThat(crd.getMetadata().getName()).isEqualTo("virtualmachineclones.vmclone.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo("vmclone.io");
        assertThat(v1beta1.getName()).isEqualTo("v1beta1");
        assertThat(v1beta1.getStorage()).isTrue();
        assertThat(v1beta1.getSubresources().getStatus()).isNotNull();
    }

    @Test
    void shortNamesDoNotCollideWithKubevirt() {
        assertThat(crd.getSpec().getNames().getShortNames()).isNotEmpty().doesNotContain("vmclone", "vmclones");
        // a category is matched before short names: one named vmclone would take `kubectl get vmclone` from KubeVirt
        assertThat(crd.getSpec().getNames().getCategories()).doesNotContain("vmclone", "vmclones");
    }

    @Test
    void printerColumnsShowPhaseSourceTargetProgressAge() {
        assertThat(v1beta1.getAdditionalPrinterColumns()).extracting(c -> c.getName())
                .containsExactly("Phase", "Source", "Target", "Progress", "Age");
    }

    @Test
    void specIsImmutableThroughACelRule() {
        assertThat(spec.getXKubernetesValidations()).anySatisfy(r -> assertThat(r.getRule()).isEqualTo("self == oldSelf"));
    }

    @Test
    void sourceKindsAreEnumerated() {
        assertThat(spec.getProperties().get("source").getProperties().get("kind").getEnum())
                .extracting(n -> n.asText()).containsExactlyInAnyOrder("VirtualMachine", "VirtualMachineSnapshot");
        assertThat(spec.getProperties().get("target").getProperties().get("kind").getEnum())
                .extracting(n -> n.asText()).containsExactly("VirtualMachine");
    }

    @Test
    void backendStorageIsAnEnumeratedExtension() {
        JSONSchemaProps backendStorage = spec.getProperties().get("backendStorage");
        assertThat(backendStorage.getEnum()).extracting(n -> n.asText()).containsExactly("Fresh", "Copy");
        assertThat(backendStorage.getDescription()).startsWith("vmclone extension:");
    }

    @ParameterizedTest
    @CsvSource({"mykey/something,true", "*,true", "mykey/something*,true", "!mykey/something,true", "!prefix2/*,true",
            "!,false", "mykey/!something,false", "mykey/something!,false", "*mykey/something,false", "mykey/*something,false"})
    void filterPatternMatchesKubevirtWebhookRules(String filter, boolean valid) {
        for (String field : new String[] {"labelFilters", "annotationFilters"}) {
            String pattern = spec.getProperties().get(field).getItems().getSchema().getPattern();
            assertThat(Pattern.matches(pattern, filter)).as(field + " " + filter).isEqualTo(valid);
        }
    }

    @ParameterizedTest
    @CsvSource({"02:00:00:00:00:01,true", "02-00-00-00-00-01,true", "'',true", "02:00-00:00:00:01,false",
            "00:00:00:00:00,false", "zz:00:00:00:00:00,false"})
    void macPatternAcceptsColonAndDashForms(String mac, boolean valid) {
        String pattern = spec.getProperties().get("newMacAddresses").getAdditionalProperties().getSchema().getPattern();
        assertThat(Pattern.matches(pattern, mac)).as(mac).isEqualTo(valid);
    }

    @Test
    void rendersForKubevirtsGroupWhenConfigured() {
        CustomResourceDefinition kubevirt = CloneCrd.load("clone.kubevirt.io");
        assertThat(kubevirt.getSpec().getGroup()).isEqualTo("clone.kubevirt.io");
        assertThat(kubevirt.getMetadata().getName()).isEqualTo("virtualmachineclones.clone.kubevirt.io");
    }
}
