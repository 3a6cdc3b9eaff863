package io.vmclone.bench;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.kube.RealCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes API a load run uses ({@code --api}) and how it tells who made each request: the in-memory ones
 * by a header or token per actor ({@link ApiWriteCounter}), the real kube-apiserver by each actor's own
 * ServiceAccount in its audit log ({@link AuditLogCounter}).
 */
abstract class LoadApi implements AutoCloseable {
    abstract KubeCluster cluster();

    /** A client whose requests count as {@code actor}'s: a service's name, or driver, storage-simulator, probe. */
    abstract KubernetesClient client(String actor);

    abstract RequestCounter counter();

    /** A kubeconfig for service {@code service} run as a process of its own. */
    abstract Path kubeconfig(String service, Path file) throws IOException;

    abstract String describe();

    /** Whether the server is the real one (whose write ceiling is measured too). */
    abstract boolean real();

    static LoadApi start(String api, Path workDir) throws IOException {
        return switch (api) {
            case LoadSettings.REAL -> new Real(workDir);
            case LoadSettings.FABRIC8 -> new Mock(MockCluster.start());
            default -> new Mock(MockCluster.startIndexed());
        };
    }

    private static final class Mock extends LoadApi {
        private final MockCluster cluster;
        private final ApiWriteCounter counter;

        Mock(MockCluster cluster) {
            this.cluster = cluster;
            this.counter = new ApiWriteCounter(cluster);
        }

        @Override KubeCluster cluster() { return cluster; }

        @Override
        KubernetesClient client(String actor) {
            return cluster.server().createClient(b -> b.editOrNewConfig()
                    .withCustomHeaders(Map.of(ApiWriteCounter.ACTOR_HEADER, actor)).endConfig());
        }

        @Override RequestCounter counter() { return counter; }

        @Override
        Path kubeconfig(String service, Path file) throws IOException {
            // A process cannot be given the driver's actor header: its kubeconfig's token names it instead.
            return cluster.writeKubeconfig(file, ApiWriteCounter.token(service));
        }

        @Override String describe() { return "in-memory API at " + cluster.url(); }

        @Override boolean real() { return false; }

        @Override
        public void close() {
            counter.close();
            cluster.close();
        }
    }

    private static final class Real extends LoadApi {
        private final RealCluster cluster;
        private final AuditLogCounter counter;

        Real(Path workDir) throws IOException {
            Files.createDirectories(workDir);
            Path policy = Files.writeString(workDir.resolve("audit-policy.yaml"), AuditLogCounter.POLICY);
            this.cluster = RealCluster.start(workDir, List.of("--audit-policy-file", policy.toString(),
                    "--audit-log-path", "{workDir}/audit.log", "--audit-log-format", "json", "--audit-log-mode", "batch",
                    "--audit-log-maxsize", "0"));
            this.counter = new AuditLogCounter(cluster.server().workDir().resolve("audit.log"));
        }

        @Override KubeCluster cluster() { return cluster; }

        @Override
        KubernetesClient client(String actor) {
            if (LocalPipeline.stages().containsKey(actor)) {
                return cluster.serviceClient(actor);
            }
            String account = "bench-" + actor;
            cluster.ensureServiceAccount(RealCluster.SYSTEM_NAMESPACE, account);
            cluster.client().rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(account)
                    .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                    .withName("cluster-admin").endRoleRef().addNewSubject().withKind("ServiceAccount").withName(account)
                    .withNamespace(RealCluster.SYSTEM_NAMESPACE).endSubject().build()).serverSideApply();
            return cluster.clientAs(RealCluster.SYSTEM_NAMESPACE, account);
        }

        @Override RequestCounter counter() { return counter; }

        @Override
        Path kubeconfig(String service, Path file) throws IOException {
            return cluster.writeKubeconfigAs(file, RealCluster.SYSTEM_NAMESPACE, RealCluster.serviceAccountOf(service));
        }

        @Override
        String describe() {
            return "real kube-apiserver " + cluster.server().version() + " at " + cluster.server().url() + " (audit log counts requests)";
        }

        @Override boolean real() { return true; }

        @Override
        public void close() {
            counter.close();
            cluster.close();
        }
    }

}
