package io.vmclone.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vmclone.schemas.kube.CloneCrd;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.api.IndexedApiDispatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An in-memory Kubernetes API: fabric8's mock server in CRUD mode, with the VirtualMachineClone CRD
 * created (so {@code status} is a real subresource) and the KubeVirt/CDI kinds registered.
 * It does not run admission, CRD validation or garbage collection: our own code validates.
 */
public final class MockCluster implements KubeCluster {
    private static final List<ResourceDefinitionContext> KINDS = List.of(
            KubeResources.VIRTUAL_MACHINE, KubeResources.VIRTUAL_MACHINE_INSTANCE, KubeResources.DATA_VOLUME,
            KubeResources.VM_SNAPSHOT, KubeResources.VM_SNAPSHOT_CONTENT);

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String cloneGroup;
    private final ApiServerDispatcher slow;
    private final java.util.concurrent.atomic.AtomicInteger namespaces = new java.util.concurrent.atomic.AtomicInteger();

    private MockCluster(KubernetesMockServer server, String cloneGroup, ApiServerDispatcher slow) {
        this.server = server;
        this.cloneGroup = cloneGroup;
        this.slow = slow;
        this.client = server.createClient();
    }

    public static MockCluster start() {
        return start(KubeResources.DEFAULT_CLONE_GROUP);
    }

    public static MockCluster start(String cloneGroup) {
        List<CustomResourceDefinitionContext> kinds = new java.util.ArrayList<>();
        KINDS.forEach(k -> kinds.add(crdContext(k)));
        kinds.add(crdContext(KubeResources.clones(cloneGroup)));
        // Mixed dispatcher: CRUD storage, plus expectations tests add (TokenReview answers, injected 500s).
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        ApiServerDispatcher slow = new ApiServerDispatcher(expectations, kinds);
        return started(new KubernetesMockServer(new Context(), new MockWebServer(), expectations, slow, false), cloneGroup, slow);
    }

    /**
     * The same API on {@link IndexedApiDispatcher} instead of fabric8's CRUD dispatcher: a lookup by name costs
     * the same however many objects are stored, and watches never stall the server. For load runs with
     * thousands of objects; tests use {@link #start()} (fabric8's widely used mock, plus expectations and
     * {@link #slowDown}, which this one does not offer).
     */
    public static MockCluster startIndexed() {
        return started(new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new IndexedApiDispatcher(KINDS), false),
                KubeResources.DEFAULT_CLONE_GROUP, null);
    }

    private static MockCluster started(KubernetesMockServer server, String cloneGroup, ApiServerDispatcher slow) {
        server.init();
        MockCluster cluster = new MockCluster(server, cloneGroup, slow);
        cluster.client.apiextensions().v1().customResourceDefinitions().resource(CloneCrd.load(cloneGroup)).create();
        // KubeVirt's and CDI's kinds with their status subresources, as on a real server
        for (GenericKubernetesResource crd : Manifests.load(Manifests.STAND_IN_CRDS)) {
            cluster.client.resource(crd).create();
        }
        Manifests.createAll(cluster.client, Manifests.STORAGE_CLASSES, null);
        return cluster;
    }

    private static CustomResourceDefinitionContext crdContext(ResourceDefinitionContext c) {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup(c.getGroup()).withVersion(c.getVersion()).withKind(c.getKind())
                .withPlural(c.getPlural()).withScope("Namespaced").build();
    }

    /** A client shared by whoever asks; close the cluster, not the client. */
    @Override
    public KubernetesClient client() {
        return client;
    }

    /** A fresh client of its own (each service in the sandbox gets one, as separate processes would). */
    @Override
    public KubernetesClient newClient() {
        return server.createClient();
    }

    /** The mock knows no identities: every service gets a client of its own with every right. */
    @Override
    public KubernetesClient serviceClient(String service) {
        return newClient();
    }

    @Override
    public String newNamespace(String prefix) {
        String name = prefix + "-" + namespaces.incrementAndGet();
        createNamespace(name);
        return name;
    }

    /**
     * A client whose requests may wait {@code requestTimeout}. The mock server (fabric8 7.9) can stall its
     * event loop for up to a minute when a watch is closed while it is sending on it; tests that close
     * many watches under load (service restarts) give their clients room to ride that out.
     */
    public KubernetesClient newClient(java.time.Duration requestTimeout) {
        return server.createClient(b -> b.editOrNewConfig().withRequestTimeout((int) requestTimeout.toMillis()).endConfig());
    }

    /**
     * Answers the next {@code times} requests with this method whose path starts with {@code pathPrefix}
     * only after {@code delay}: the request takes effect at once (a create is stored, a status written), the
     * answer is late, as from an overloaded API server; past the client's request timeout the caller sees
     * a timeout for a write that did happen. Only answers with a body are held back (a bare 404 is not).
     */
    public void slowDown(String method, String pathPrefix, java.time.Duration delay, int times) {
        if (slow == null) {
            throw new IllegalStateException("slowDown needs MockCluster.start(), not startIndexed()");
        }
        slow.add(method, pathPrefix, delay, times);
    }

    /** How many slowed-down answers were sent so far. */
    public int slowedDown() {
        return slow == null ? 0 : slow.applied();
    }

    public KubernetesMockServer server() {
        return server;
    }

    @Override
    public String cloneGroup() {
        return cloneGroup;
    }

    /** The API server URL (http, no auth). */
    public String url() {
        return client.getMasterUrl().toString();
    }

    @Override
    public void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    /** Creates every object of a multi-document YAML resource on the classpath (e.g. a sample VM), status included. */
    @Override
    public List<GenericKubernetesResource> apply(String classpathYaml, String namespace) {
        return Manifests.createAll(client, classpathYaml, namespace);
    }

    public static List<GenericKubernetesResource> load(String classpathYaml) {
        return Manifests.load(classpathYaml);
    }

    /** Writes a kubeconfig pointing kubectl (or {@code vmclone}) at this in-memory API. */
    @Override
    public Path writeKubeconfig(Path file) throws IOException {
        return writeKubeconfig(file, "sandbox");
    }

    /**
     * The same kubeconfig with the user's bearer token set to {@code token}: the mock accepts any token, and
     * its request log then tells apart processes whose requests look alike otherwise.
     */
    public Path writeKubeconfig(Path file, String token) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: vmclone-sandbox
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: sandbox
                  user:
                    token: %s
                contexts:
                - name: vmclone-sandbox
                  context:
                    cluster: vmclone-sandbox
                    user: sandbox
                    namespace: default
                current-context: vmclone-sandbox
                """.formatted(url(), token);
        Files.writeString(file, yaml);
        return file;
    }

    /**
     * The CRUD-plus-expectations dispatcher, closer to a real API server in two ways: a status write
     * carrying a stale resourceVersion is refused with 409 (fabric8's mock checks it only for the main
     * resource; a real API server checks both), and late answers where {@link #slowDown} asked for them.
     */
    private static final class ApiServerDispatcher extends KubernetesMixedDispatcher {
        private record Rule(String method, String pathPrefix, java.time.Duration delay, java.util.concurrent.atomic.AtomicInteger left) {
        }

        private final List<Rule> rules = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger applied = new java.util.concurrent.atomic.AtomicInteger();

        private final java.util.Set<String> customResourceGroups;

        ApiServerDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations, List<CustomResourceDefinitionContext> kinds) {
            super(expectations, kinds);
            this.customResourceGroups = kinds.stream().map(CustomResourceDefinitionContext::getGroup).collect(java.util.stream.Collectors.toSet());
        }

        void add(String method, String pathPrefix, java.time.Duration delay, int times) {
            rules.add(new Rule(method, pathPrefix, delay, new java.util.concurrent.atomic.AtomicInteger(times)));
        }

        int applied() {
            return applied.get();
        }

        /** 409 for a PUT to {@code .../status} whose resourceVersion is not the stored one; null otherwise. */
        private MockResponse staleStatusWrite(RecordedRequest request) {
            String path = request.getPath() == null ? "" : request.getPath().split("\\?", 2)[0];
            if (!"PUT".equalsIgnoreCase(request.getMethod()) || !path.endsWith("/status") || request.getBody() == null) {
                return null;
            }
            try {
                String sent = Serialization.jsonMapper().readTree(request.getBody().getBytes())
                        .path("metadata").path("resourceVersion").asText("");
                if (sent.isEmpty()) {
                    return null; // no precondition asked for
                }
                MockResponse stored = super.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET,
                        path.substring(0, path.length() - "/status".length()), request.getHeaders(), new Buffer()));
                if (stored.getStatus() == null || !stored.getStatus().contains(" 200")) {
                    return null; // let the CRUD dispatcher answer (404 …)
                }
                JsonNode current = Serialization.jsonMapper().readTree(stored.getBody().getBytes());
                if (sent.equals(current.path("metadata").path("resourceVersion").asText(""))) {
                    return null;
                }
                String name = current.path("metadata").path("name").asText();
                return new MockResponse().setResponseCode(409).setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
                        + "\"reason\":\"Conflict\",\"code\":409,\"message\":\"Operation cannot be fulfilled on "
                        + current.path("kind").asText() + " \\\"" + name + "\\\": the object has been modified; please apply your changes "
                        + "to the latest version and try again\"}");
            } catch (IOException e) {
                return null; // not JSON: the CRUD dispatcher answers as it would
            }
        }

        /** What kube-apiserver refuses before storing: strategic merge on a custom resource (415), bad metadata (422). */
        private MockResponse refused(RecordedRequest request) {
            String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase(java.util.Locale.ROOT);
            String contentType = request.getHeader("Content-Type");
            if (method.equals("PATCH") && contentType != null && contentType.startsWith("application/strategic-merge-patch+json")
                    && customResourceGroups.stream().anyMatch(g -> request.getPath().startsWith("/apis/" + g + "/"))) {
                return status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types "
                        + "include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
            }
            if ((method.equals("POST") || method.equals("PUT")) && request.getBody() != null && request.getBody().size() > 0) {
                try {
                    String violation = io.vmclone.testsupport.api.ObjectMetaRules.violation(
                            Serialization.jsonMapper().readTree(request.getBody().getBytes()));
                    if (violation != null) {
                        return status(422, "Invalid", violation);
                    }
                } catch (IOException e) {
                    return null; // not JSON: the CRUD dispatcher answers as it would
                }
            }
            return null;
        }

        private static MockResponse status(int code, String reason, String message) {
            return new MockResponse().setResponseCode(code).setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
                    + "\"reason\":\"" + reason + "\",\"code\":" + code + ",\"message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(message).toString() + "}");
        }

        /**
         * fabric8's CRUD mock knows no field of a core Event besides name and namespace, and matches nothing for the
         * others kube-apiserver supports (reason, type, involvedObject.*): such a selector is dropped, so the mock
         * sends every Event and the client filters (the executor does).
         */
        private static RecordedRequest eventFieldSelectorDropped(RecordedRequest request) {
            String path = request.getPath();
            if (path == null || !path.startsWith("/api/v1/") || !path.contains("fieldSelector=")
                    || !path.split("\\?", 2)[0].endsWith("/events")) {
                return request;
            }
            String[] parts = path.split("\\?", 2);
            String query = java.util.Arrays.stream(parts[1].split("&")).filter(q -> !q.startsWith("fieldSelector="))
                    .collect(java.util.stream.Collectors.joining("&"));
            return new RecordedRequest(request.getHttpVersion(), HttpMethod.valueOf(request.getMethod().toUpperCase(java.util.Locale.ROOT)),
                    parts[0] + (query.isEmpty() ? "" : "?" + query), request.getHeaders(), request.getBody());
        }

        @Override
        public MockResponse dispatch(RecordedRequest original) {
            RecordedRequest request = eventFieldSelectorDropped(original);
            MockResponse refusal = refused(request);
            if (refusal != null) {
                return refusal;
            }
            MockResponse response = staleStatusWrite(request);
            if (response == null) {
                response = super.dispatch(request);
            }
            for (Rule rule : rules) {
                if (rule.method().equalsIgnoreCase(request.getMethod()) && request.getPath() != null
                        && request.getPath().startsWith(rule.pathPrefix()) && rule.left().getAndDecrement() > 0) {
                    applied.incrementAndGet();
                    // The mock server sends the body on a timer: its event loop is not held up meanwhile.
                    return response.setBodyDelay(rule.delay());
                }
            }
            return response;
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
