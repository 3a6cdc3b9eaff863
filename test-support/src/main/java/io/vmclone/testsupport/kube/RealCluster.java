package io.vmclone.testsupport.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Kubernetes control plane for the pipeline: {@link RealApiServer} with the stand-in KubeVirt and CDI
 * CRDs and everything in {@code deploy/base} applied as rendered by {@code kubectl apply -k} (our CRD, the
 * namespace, each service's ServiceAccount and RBAC). Each service then talks to it with its own
 * ServiceAccount token, so the shipped RBAC is what allows or refuses its calls.
 */
public final class RealCluster implements KubeCluster {
    /** Where deploy/base puts the services' ServiceAccounts. */
    public static final String SYSTEM_NAMESPACE = "vmclone";
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(24);

    private final RealApiServer server;
    private final Path kubeconfig;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final List<KubernetesClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger namespaces = new AtomicInteger();

    private RealCluster(RealApiServer server, Path kubeconfig) {
        this.server = server;
        this.kubeconfig = kubeconfig;
    }

    /** Starts the server under {@code workParent} and installs the CRDs and {@code deploy/base}. */
    public static RealCluster start(Path workParent) {
        return start(workParent, List.of());
    }

    /** As {@link #start(Path)}, with more kube-apiserver flags ({@link RealApiServer#start(Path, List)}). */
    public static RealCluster start(Path workParent, List<String> apiServerFlags) {
        RealApiServer server = RealApiServer.start(workParent, apiServerFlags);
        try {
            Path kubeconfig = Files.writeString(server.workDir().resolve("admin.kubeconfig"), server.adminKubeconfigYaml());
            RealCluster cluster = new RealCluster(server, kubeconfig);
            cluster.install();
            return cluster;
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void install() {
        try (InputStream in = RealCluster.class.getResourceAsStream(Manifests.STAND_IN_CRDS)) {
            server.admin().load(in).serverSideApply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Manifests.createAll(server.admin(), Manifests.STORAGE_CLASSES, null);
        kubectl("apply", "-k", KubeBinaries.projectRoot().resolve("deploy/base").toString());
        kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all");
    }

    public RealApiServer server() {
        return server;
    }

    /** The admin kubeconfig file (client certificate, system:masters). */
    public Path adminKubeconfig() {
        return kubeconfig;
    }

    /** Runs the real kubectl as cluster admin; returns stdout, throws with stderr on a non-zero exit. */
    public String kubectl(String... args) {
        return kubectlAs(kubeconfig, args);
    }

    /** Runs the real kubectl with {@code kubeconfigFile}; stdin is empty. */
    public String kubectlAs(Path kubeconfigFile, String... args) {
        List<String> command = new ArrayList<>();
        command.add(server.binaries().kubectl().toString());
        command.add("--kubeconfig=" + kubeconfigFile);
        command.addAll(List.of(args));
        try {
            // stderr to a file: a pipe left unread while stdout is read could fill and stall kubectl
            Path errFile = Files.createTempFile(server.workDir(), "kubectl", ".err");
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(errFile.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean finished = p.waitFor(120, TimeUnit.SECONDS);
            String err = Files.readString(errFile);
            Files.deleteIfExists(errFile);
            if (!finished) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new KubectlFailure(p.exitValue(), err.strip(), "kubectl " + String.join(" ", args));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kubectl exited non-zero; {@link #stderr()} is what it said. */
    public static final class KubectlFailure extends RuntimeException {
        private final int exitCode;
        private final String stderr;

        KubectlFailure(int exitCode, String stderr, String command) {
            super(command + " exited " + exitCode + ": " + stderr);
            this.exitCode = exitCode;
            this.stderr = stderr;
        }

        public int exitCode() {
            return exitCode;
        }

        public String stderr() {
            return stderr;
        }
    }

    /** A token for ServiceAccount {@code namespace/name} from the TokenRequest API, for the API server's audience. */
    public String token(String namespace, String name) {
        return tokens.computeIfAbsent(namespace + "/" + name, k -> requestToken(namespace, name, List.of()));
    }

    /** A fresh token for {@code audiences} (empty = the API server's own). */
    public String requestToken(String namespace, String name, List<String> audiences) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(TOKEN_LIFETIME.toSeconds())
                .withAudiences(audiences)
                .endSpec().build();
        return server.admin().serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request).getStatus().getToken();
    }

    /** Creates ServiceAccount {@code namespace/name} if missing. */
    public void ensureServiceAccount(String namespace, String name) {
        ensureNamespace(namespace);
        server.admin().serviceAccounts().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
    }

    /** A client authenticating as ServiceAccount {@code namespace/name} with a bearer token only. */
    public KubernetesClient clientAs(String namespace, String name) {
        return track(new KubernetesClientBuilder().withConfig(server.tokenConfig(token(namespace, name), namespace)).build());
    }

    /** The ServiceAccount deploy/base gives service {@code service} ({@code vmclone-<service>}). */
    public static String serviceAccountOf(String service) {
        return "vmclone-" + service;
    }

    @Override
    public KubernetesClient serviceClient(String service) {
        return clientAs(SYSTEM_NAMESPACE, serviceAccountOf(service));
    }

    @Override
    public KubernetesClient client() {
        return server.admin();
    }

    @Override
    public KubernetesClient newClient() {
        return track(new KubernetesClientBuilder().withConfig(server.adminConfig()).build());
    }

    private KubernetesClient track(KubernetesClient client) {
        clients.add(client);
        return client;
    }

    @Override
    public String cloneGroup() {
        return KubeResources.DEFAULT_CLONE_GROUP;
    }

    /** A namespace of its own for one test on the shared server: {@code <prefix>-<n>} (namespaces never go away here). */
    @Override
    public String newNamespace(String prefix) {
        String name = prefix + "-" + namespaces.incrementAndGet();
        createNamespace(name);
        return name;
    }

    @Override
    public void createNamespace(String name) {
        server.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    public void ensureNamespace(String name) {
        server.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .serverSideApply();
    }

    @Override
    public List<GenericKubernetesResource> apply(String classpathYaml, String namespace) {
        return Manifests.createAll(server.admin(), classpathYaml, namespace);
    }

    @Override
    public Path writeKubeconfig(Path file) throws IOException {
        return Files.writeString(file, server.adminKubeconfigYaml());
    }

    /** A kubeconfig authenticating as ServiceAccount {@code namespace/name}. */
    public Path writeKubeconfigAs(Path file, String namespace, String name) throws IOException {
        return Files.writeString(file, KubeconfigYaml.forToken(server.url(), server.caFile(), name, token(namespace, name), namespace));
    }

    /** Deletes a resource and waits until it is gone; a missing one is fine. */

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.close();
    }
}
