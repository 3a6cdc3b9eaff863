package io.vmclone.cli.sandbox;

import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.kube.RealCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The sandbox's Kubernetes API with its samples and its user: the in-memory imitation (no Go needed, kubectl
 * partly works) or a real kube-apiserver + etcd (RBAC on, each service its own ServiceAccount, kubectl works
 * as on a cluster).
 */
public final class SandboxCluster implements AutoCloseable {
    /** Which API the sandbox runs on. */
    public enum Api { MOCK, REAL }

    private final KubeCluster kube;
    private final RealCluster real;
    private final String userToken;
    private final String description;

    private SandboxCluster(KubeCluster kube, RealCluster real, String userToken, String description) {
        this.kube = kube;
        this.real = real;
        this.userToken = userToken;
        this.description = description;
    }

    static SandboxCluster start(Api api, Path workDir, String namespace) {
        return api == Api.REAL ? startReal(workDir, namespace) : startMock(namespace);
    }

    private static SandboxCluster startMock(String namespace) {
        MockCluster cluster = MockCluster.start();
        try {
            SandboxAuth.install(cluster);
            SandboxDiscovery.install(cluster);
            seed(cluster, namespace);
            return new SandboxCluster(cluster, null, SandboxAuth.TOKEN, "in-memory (fabric8 mock) at " + cluster.url());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static SandboxCluster startReal(Path workDir, String namespace) {
        RealCluster cluster = RealCluster.start(workDir);
        try {
            seed(cluster, namespace);
            String token = SandboxUser.create(cluster, namespace, cluster.cloneGroup());
            String what = "real kube-apiserver " + cluster.server().version() + " + etcd at " + cluster.server().url()
                    + " (RBAC on; deploy/base applied)";
            return new SandboxCluster(cluster, cluster, token, what);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static void seed(KubeCluster cluster, String namespace) {
        if (!"default".equals(namespace)) {
            cluster.createNamespace(namespace);
        }
        for (String sample : SandboxEnvironment.SAMPLE_ORDER) {
            cluster.apply(sample, namespace);
        }
    }

    public KubeCluster kube() {
        return kube;
    }

    /** The real server, when the sandbox runs on one. */
    public Optional<RealCluster> real() {
        return Optional.ofNullable(real);
    }

    /** A bearer token the bridge's HTTP door accepts (on the real API: the sandbox user's ServiceAccount token). */
    String userToken() {
        return userToken;
    }

    String description() {
        return description;
    }

    /** Writes the kubeconfig for kubectl and the CLI (cluster admin). */
    Path writeKubeconfig(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return kube.writeKubeconfig(file);
    }

    @Override
    public void close() {
        kube.close();
    }
}
