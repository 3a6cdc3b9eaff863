package io.vmclone.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Kubernetes API the pipeline runs against in tests and in the sandbox: the real kube-apiserver
 * ({@link io.vmclone.testsupport.kube.RealCluster}) or an in-memory imitation ({@link MockCluster}), kept for
 * faults a real server cannot give on demand.
 */
public interface KubeCluster extends AutoCloseable {
    /** A client with every right, shared; close the cluster, not the client. */
    KubernetesClient client();

    /** A new client with every right, of its own. */
    KubernetesClient newClient();

    /** The client service {@code service} runs with: on a real server, its own ServiceAccount token. */
    KubernetesClient serviceClient(String service);

    /** The VirtualMachineClone API group served. */
    String cloneGroup();

    /** Creates and returns a namespace no one else uses ({@code <prefix>-<n>}). */
    String newNamespace(String prefix);

    void createNamespace(String name);

    /** Creates every object of a multi-document classpath YAML in {@code namespace}, status included. */
    List<GenericKubernetesResource> apply(String classpathYaml, String namespace);

    /** Writes a kubeconfig with every right for kubectl and the vmclone CLI. */
    Path writeKubeconfig(Path file) throws IOException;

    @Override
    void close();
}
