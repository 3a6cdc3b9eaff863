package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Our CRD as a real kube-apiserver takes it: applied from deploy/base as rendered, and enforced by the server. */
@ExtendWith(RealClusterExtension.class)
class CrdOnRealServerTest {
    private static final String GROUP = KubeResources.DEFAULT_CLONE_GROUP;

    private RealCluster cluster;
    private KubernetesClient kube;
    private String ns;

    @BeforeEach
    void setUp(RealCluster cluster) {
        this.cluster = cluster;
        this.kube = cluster.client();
        this.ns = cluster.newNamespace("crd");
    }

    @Test
    void theShippedCrdIsEstablishedAndServed() {
        CustomResourceDefinition crd = kube.apiextensions().v1().customResourceDefinitions()
                .withName("virtualmachineclones." + GROUP).get();
        assertThat(crd.getStatus().getConditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Established");
                    assertThat(c.getStatus()).isEqualTo("True");
                })
                .noneSatisfy(c -> assertThat(c.getType()).isEqualTo("NonStructuralSchema"));
        assertThat(cluster.server().version()).startsWith("v1.");
    }

    @Test
    void theServerEnforcesTheImmutableSpecRule() {
        GenericKubernetesResource clone = create("immutable", CloneSpec.of("fedora", "fedora-copy"));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) clone.getAdditionalProperties().get("spec");
        spec.put("newSMBiosSerial", "changed");
        assertThatThrownBy(() -> kube.resource(clone).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("spec is immutable after creation");
                });
    }

    @Test
    void unknownFieldsArePrunedByTheServer() {
        GenericKubernetesResource clone = VirtualMachineClones.newResource(GROUP, ns, "pruned", CloneSpec.of("fedora", "fedora-copy"), Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) clone.getAdditionalProperties().get("spec");
        spec.put("notAField", "x");
        GenericKubernetesResource stored = kube.resource(clone).create();
        @SuppressWarnings("unchecked")
        Map<String, Object> storedSpec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
        assertThat(storedSpec).doesNotContainKey("notAField").containsKey("source");
    }

    @Test
    void theMacPatternCompilesAndIsEnforcedInBothForms() {
        assertThat(create("mac-colon", withMac("02:00:00:00:00:01"))).isNotNull();
        assertThat(create("mac-dash", withMac("02-00-00-00-00-01"))).isNotNull();
        assertThatThrownBy(() -> create("mac-mixed", withMac("02:00-00:00:00:01")))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("spec.newMacAddresses");
                });
    }

    @Test
    void kubectlPrintsTheColumnsAndAnswersToTheShortNames() {
        create("columns", CloneSpec.of("fedora", "fedora-copy"));
        // KubeVirt's CRD has the same plural, so on a cluster with KubeVirt the plain plural is ambiguous:
        // the group-qualified name or a short name are how users reach ours (docs/operations.md says so).
        String table = cluster.kubectl("get", "virtualmachineclones." + GROUP, "-n", ns);
        assertThat(table.lines().findFirst().orElseThrow()).containsSubsequence("NAME", "PHASE", "SOURCE", "TARGET", "PROGRESS", "AGE");
        assertThat(table).contains("columns").contains("fedora");
        assertThat(cluster.kubectl("get", "vmcl", "-n", ns, "-o", "name")).contains("virtualmachineclone." + GROUP + "/columns");
        assertThat(cluster.kubectl("get", "vmcls", "-n", ns, "-o", "name")).contains("columns");
    }

    @Test
    void kubectlGetVmcloneStillMeansKubevirtsOwnClones() {
        create("ours", CloneSpec.of("fedora", "fedora-copy"));
        GenericKubernetesResource kubevirts = new GenericKubernetesResource();
        kubevirts.setApiVersion(KubeResources.cloneApiVersion(KubeResources.KUBEVIRT_CLONE_GROUP));
        kubevirts.setKind(KubeResources.CLONE_KIND);
        kubevirts.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("kubevirts").withNamespace(ns).build());
        kubevirts.setAdditionalProperty("spec", Map.of("source", Map.of("apiGroup", "kubevirt.io", "kind", "VirtualMachine", "name", "fedora")));
        kube.resource(kubevirts).create();

        List<String> names = cluster.kubectl("get", "vmclone", "-n", ns, "-o", "name").lines().toList();
        assertThat(names).containsExactly("virtualmachineclone.clone.kubevirt.io/kubevirts");
    }

    private GenericKubernetesResource create(String name, CloneSpec spec) {
        return kube.resource(VirtualMachineClones.newResource(GROUP, ns, name, spec, Map.of())).create();
    }

    private static CloneSpec withMac(String mac) {
        return CloneSpec.builder().source(CloneSpec.TypedRef.vm("fedora")).target(CloneSpec.TypedRef.vm("fedora-copy"))
                .newMacAddresses(Map.of("default", mac)).build();
    }
}
