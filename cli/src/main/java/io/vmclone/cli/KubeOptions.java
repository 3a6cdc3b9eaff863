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

    /** How long to wait for the API server to accept a connection: kubectl-like failing fast, not a 20 s hang. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    Config config() {
        Config config;
        if (kubeconfig == null) {
            config = Config.autoConfigure(context);
        } else {
            try {
                config = Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
            } catch (IOException e) {
                throw new UsageException("--kubeconfig: cannot read " + kubeconfig + ": " + e.getMessage(), e);
            }
        }
        requireContext(config);
        config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        return config;
    }

    /** fabric8 falls back to the current context when the one asked for does not exist: kubectl refuses, so do we. */
    private void requireContext(Config config) {
        if (context == null || context.isBlank()) {
            return;
        }
        var contexts = config.getContexts() == null ? java.util.List.<io.fabric8.kubernetes.api.model.NamedContext>of() : config.getContexts();
        if (contexts.stream().noneMatch(c -> context.equals(c.getName()))) {
            throw new UsageException("--context: no context named '" + context + "' in "
                    + (kubeconfig != null ? kubeconfig : "the kubeconfig ($KUBECONFIG or ~/.kube/config)") + "; contexts there: "
                    + (contexts.isEmpty() ? "none" : String.join(", ", contexts.stream().map(c -> c.getName()).toList())));
        }
    }

    /** The namespace without talking to the cluster: {@code -n}, else the context's, else default. */
    public String namespaceFromConfig() {
        if (namespace != null && !namespace.isBlank()) {
            return namespace;
        }
        String ns = config().getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }

    /** Whether the kubeconfig ($KUBECONFIG or ~/.kube/config) names a current context, as kubectl would use. */
    boolean hasCurrentContext() {
        try {
            return Config.autoConfigure(null).getCurrentContext() != null;
        } catch (RuntimeException e) {
            return false; // an unreadable kubeconfig: no context to use
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
