package io.vmclone.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the cluster is: the current kube context (KUBECONFIG or ~/.kube/config, or in-cluster), or
 * {@code --kubeconfig}/{@code --context}; {@code -n} picks the namespace (default: the context's).
 */
public final class KubeOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: the current context).")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace (default: the context's, else default).")
    String namespace;

    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    Config config() {
        if (kubeconfig == null) {
            return Config.autoConfigure(context);
        }
        try {
            return Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
        } catch (IOException e) {
            throw new UsageException("--kubeconfig: cannot read " + kubeconfig + ": " + e.getMessage(), e);
        }
    }

    public String namespace(KubernetesClient client) {
        if (namespace != null && !namespace.isBlank()) {
            return namespace;
        }
        String ns = client.getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }
}
