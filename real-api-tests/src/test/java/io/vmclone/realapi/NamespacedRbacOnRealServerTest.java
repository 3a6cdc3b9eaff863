package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.KubeBinaries;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The namespace-scoped mode of docs/operations.md, as deploy/overlays/namespaced renders it: the services' ClusterRoles
 * granted only by RoleBindings in the served namespace (plus the bridge's cluster-scoped reviews). On the shared
 * server the shipped ServiceAccounts also have cluster-wide bindings, so the overlay's RBAC is given to
 * ServiceAccounts of the same names in a namespace of their own; nothing else differs.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class NamespacedRbacOnRealServerTest {
    private static final String SYSTEM = "vmclone-scoped";
    private static final Set<String> RBAC_KINDS = Set.of("ServiceAccount", "Role", "RoleBinding", "ClusterRoleBinding");

    @Test
    void aCloneSucceedsWithRoleBindingsInTheServedNamespaceOnly(RealCluster cluster, KafkaBroker broker) {
        RealPipeline p = RealPipeline.prepare(cluster, broker, "scoped", Duration.ZERO);
        applyOverlayRbac(cluster, p.ns());
        KubernetesClient executor = cluster.clientAs(SYSTEM, "vmclone-executor");
        assertThatThrownBy(() -> executor.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inAnyNamespace().list())
                .as("no cluster-wide list in this mode").isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));

        p.env().put(BridgeSettings.ENV_LEASE_NAMESPACE, SYSTEM);
        try (LocalPipeline pipeline = LocalPipeline.start(p.env(), service -> cluster.clientAs(SYSTEM, RealCluster.serviceAccountOf(service)),
                -1)) {
            await().atMost(RealPipeline.BOUND).until(pipeline::ready);
            p.createClone("scoped", CloneSpec.of("fedora", "scoped-vm"));
            p.awaitPhase("scoped", "Succeeded");
            assertThat(p.madeByClones(KubeResources.VIRTUAL_MACHINE)).hasSize(1);
        } finally {
            p.close();
        }
    }

    /** The overlay's ServiceAccounts, Roles and bindings, moved to {@value #SYSTEM} and the test's served namespace. */
    private static void applyOverlayRbac(RealCluster cluster, String served) {
        String rendered = cluster.kubectl("kustomize", KubeBinaries.projectRoot().resolve("deploy/overlays/namespaced").toString())
                .replace("namespace: vmclone\n", "namespace: " + SYSTEM + "\n")
                .replace("namespace: team-a\n", "namespace: " + served + "\n");
        cluster.ensureNamespace(SYSTEM);
        List<HasMetadata> objects = cluster.client().load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
        for (HasMetadata o : objects) {
            if (o.getKind().equals("ClusterRoleBinding")) {
                o.getMetadata().setName(SYSTEM + "-" + o.getMetadata().getName()); // beside deploy/base's, not over it
            }
            if (RBAC_KINDS.contains(o.getKind())) {
                cluster.client().resource(o).serverSideApply();
            }
        }
        assertThat(objects).filteredOn(o -> o.getKind().equals("ClusterRoleBinding")).extracting(o -> o.getMetadata().getName())
                .as("the overlay's only cluster-wide grant").containsExactly(SYSTEM + "-vmclone-bridge-reviews");
    }
}
