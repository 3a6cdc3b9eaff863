package io.vmclone.cli;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmclone.schemas.kube.KubeResources;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * What went wrong talking to the cluster, in kubectl's plain words instead of fabric8's: the server that could not
 * be reached, or the CustomResourceDefinition that is not installed (a 404 on the resource type itself).
 */
final class ClusterErrors {
    private ClusterErrors() {}

    /** A failure the CLI reports as {@code error: <message>} with exit code 1. */
    static final class ClusterFailure extends RuntimeException {
        ClusterFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs {@code call}; an unreachable server or a missing CRD becomes a {@link ClusterFailure} saying so. */
    static <T> T orExplain(KubernetesClient client, String group, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw explain(client, group, e);
        }
    }

    /**
     * After a GET that found nothing (fabric8 answers null to any 404): fails when the reason is that the
     * clone type itself is not served, so that "not found" is said only of a clone.
     */
    static void requireCloneType(KubernetesClient client, String group) {
        orExplain(client, group, () -> client.genericKubernetesResources(KubeResources.clones(group)).inAnyNamespace()
                .list(new ListOptionsBuilder().withLimit(1L).build()));
    }

    static RuntimeException explain(KubernetesClient client, String group, KubernetesClientException e) {
        String server = client.getConfiguration().getMasterUrl();
        if (e.getCode() == 404) {
            return new ClusterFailure("the VirtualMachineClone CRD (virtualmachineclones." + group + ") is not installed on "
                    + server + " (kubectl apply -k deploy/base installs it; --api-group picks another group)", e);
        }
        if (causedByIo(e)) {
            return new ClusterFailure("cannot reach the Kubernetes API server at " + server + " (kubeconfig context "
                    + contextName(client) + "): " + rootMessage(e), e);
        }
        return e;
    }

    private static boolean causedByIo(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String contextName(KubernetesClient client) {
        var context = client.getConfiguration().getCurrentContext();
        return context == null ? "(none: in-cluster or --kubeconfig without contexts)" : "'" + context.getName() + "'";
    }
}
