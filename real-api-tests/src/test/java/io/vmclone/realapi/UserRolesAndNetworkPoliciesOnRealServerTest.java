package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.runtime.SettingsCatalogue;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/base's user roles and network policies, as the real API server takes them: the roles that aggregate into
 * edit and view give exactly clone rights (kube-controller-manager's aggregation does not run here, so users are
 * bound to them directly), and every service pod is covered by an ingress and an egress policy.
 */
@ExtendWith(RealClusterExtension.class)
class UserRolesAndNetworkPoliciesOnRealServerTest {
    private static final String DEPLOY_NAMESPACE = "vmclone";

    @Test
    void editorsCloneAndDeleteInTheirNamespaceViewersOnlyLook(RealCluster cluster) {
        String ns = cluster.newNamespace("roles");
        String other = cluster.newNamespace("roles-other");
        KubernetesClient editor = userBoundTo(cluster, ns, "dana", "vmclone-clones-edit");
        KubernetesClient viewer = userBoundTo(cluster, ns, "victor", "vmclone-clones-view");
        var clones = KubeResources.clones(cluster.cloneGroup());

        editor.genericKubernetesResources(clones).inNamespace(ns).resource(clone(cluster, ns, "by-dana")).create();
        assertThat(viewer.genericKubernetesResources(clones).inNamespace(ns).list().getItems()).extracting(c -> c.getMetadata().getName())
                .contains("by-dana");
        assertThatThrownBy(() -> viewer.genericKubernetesResources(clones).inNamespace(ns).resource(clone(cluster, ns, "by-victor")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThatThrownBy(() -> editor.genericKubernetesResources(clones).inNamespace(other).resource(clone(cluster, other, "elsewhere"))
                .create()).as("only where the role is bound")
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        editor.genericKubernetesResources(clones).inNamespace(ns).withName("by-dana").delete();
    }

    @Test
    void theRolesAggregateIntoTheBuiltInOnes(RealCluster cluster) {
        Map<String, List<String>> aggregatesTo = Map.of("vmclone-clones-edit", List.of("admin", "edit"), "vmclone-clones-view", List.of("view"));
        aggregatesTo.forEach((role, into) -> {
            ClusterRole r = cluster.client().rbac().clusterRoles().withName(role).get();
            assertThat(r).as(role).isNotNull();
            into.forEach(builtIn -> assertThat(r.getMetadata().getLabels())
                    .containsEntry("rbac.authorization.k8s.io/aggregate-to-" + builtIn, "true"));
        });
    }

    @Test
    void everyServicePodHasItsIngressAndEgressPolicies(RealCluster cluster) {
        List<NetworkPolicy> policies = cluster.client().network().v1().networkPolicies().inNamespace(DEPLOY_NAMESPACE).list().getItems();
        for (String service : SettingsCatalogue.SERVICES_IN_ORDER.stream().map(s -> "vmclone-" + s).toList()) {
            Map<String, String> podLabels = Map.of("app.kubernetes.io/name", service, "app.kubernetes.io/part-of", "vmclone");
            List<NetworkPolicy> covering = policies.stream().filter(p -> selects(p, podLabels)).toList();
            assertThat(covering).as(service).anyMatch(p -> p.getSpec().getPolicyTypes().contains("Ingress")
                    && (p.getSpec().getIngress() == null || p.getSpec().getIngress().isEmpty()));
            assertThat(covering).as(service + " egress").anyMatch(p -> p.getSpec().getPolicyTypes().contains("Egress"));
            assertThat(covering).as(service + " metrics").anyMatch(p -> p.getSpec().getIngress() != null && p.getSpec().getIngress()
                    .stream().anyMatch(i -> i.getPorts().stream().anyMatch(port -> port.getPort().getIntVal() == 8080)));
        }
        assertThat(policies).as("only the bridge takes HTTP requests").filteredOn(p -> p.getSpec().getIngress() != null
                && p.getSpec().getIngress().stream().anyMatch(i -> i.getPorts().stream().anyMatch(port -> port.getPort().getIntVal() == 8090)))
                .allSatisfy(p -> assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "vmclone-bridge"));
    }

    private static boolean selects(NetworkPolicy p, Map<String, String> podLabels) {
        Map<String, String> wanted = p.getSpec().getPodSelector().getMatchLabels();
        return wanted == null || wanted.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
    }

    private static KubernetesClient userBoundTo(RealCluster cluster, String ns, String user, String clusterRole) {
        cluster.ensureServiceAccount(ns, user);
        cluster.client().rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName(user)
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(clusterRole)
                .endRoleRef().addNewSubject().withKind("ServiceAccount").withName(user).withNamespace(ns).endSubject().build()).create();
        return cluster.clientAs(ns, user);
    }

    private static GenericKubernetesResource clone(RealCluster cluster, String ns, String name) {
        return VirtualMachineClones.newResource(cluster.cloneGroup(), ns, name, CloneSpec.of("fedora", name + "-vm"), Map.of());
    }
}
