package io.vmclone.schemas.sets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vmclone.schemas.kube.CloneCrd;
import io.vmclone.schemas.kube.KubeResources;
import org.junit.jupiter.api.Test;

/** The set CRD: its template is the clone CRD's spec schema (so the two never drift), served as the kind the code reads. */
class CloneSetCrdTest {

    @Test
    void theTemplateIsTheCloneSpecSchemaWithoutItsImmutabilityRule() {
        JSONSchemaProps cloneSpec = schema(CloneCrd.load(KubeResources.DEFAULT_CLONE_GROUP)).getProperties().get("spec");
        JSONSchemaProps template = schema(CloneSetCrd.load()).getProperties().get("spec").getProperties().get("template");
        JSONSchemaProps expected = Serialization.clone(cloneSpec);
        expected.setXKubernetesValidations(null); // the set's own rule makes the whole template immutable instead
        assertThat(Serialization.asJson(template)).isEqualTo(Serialization.asJson(expected));
    }

    @Test
    void servesTheKindTheCodeReadsWithAStatusSubresource() {
        CustomResourceDefinition crd = CloneSetCrd.load();
        assertThat(crd.getSpec().getGroup()).isEqualTo(KubeResources.CLONE_SET.getGroup());
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(KubeResources.CLONE_SET.getPlural());
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo(KubeResources.CLONE_SET.getKind());
        assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo(KubeResources.CLONE_SET.getVersion());
            assertThat(v.getSubresources().getStatus()).isNotNull();
        });
        assertThat(schema(crd).getProperties().get("spec").getProperties().get("replicas").getMaximum().intValue())
                .isEqualTo(CloneSetSpec.MAX_REPLICAS);
    }

    private static JSONSchemaProps schema(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
}
