package io.vmclone.testsupport.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * An in-memory Kubernetes API for load runs: the REST verbs our services and the load driver use (get,
 * list and watch with label and field selectors, create, update, the status subresource, merge and JSON
 * patch, delete, delete-collection), with the API server's answers (404, 409 AlreadyExists, 409 Conflict on
 * a stale resourceVersion, 410 for a watch from too old a resourceVersion). Objects are indexed by kind,
 * namespace and name, so a get, create, update or delete costs the same with 10 or 100,000 objects stored
 * (a list scans the objects of its kind only); fabric8's CRUD mock scans every stored object on every
 * request and stalls its event loop when a watch closes under load.
 *
 * <p>Not modelled (nothing here needs them): admission, defaulting, validation against the CRD schema,
 * finalizers and garbage collection, server-side apply, pagination ({@code limit} is ignored: one page),
 * and a watch with a selector is not told DELETED when an object's labels stop matching (only objects
 * that match after a change are sent; our services select on labels that never change).
 * The status subresource is on for the CRDs created through this API that declare it.
 */
public final class IndexedApiDispatcher extends Dispatcher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IndexedApiDispatcher.class);
    private static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";
    private static final int WATCH_HISTORY = 5_000; // per kind; a real API server keeps ~5 minutes (etcd compaction)

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong clock = new AtomicLong(1);
    private final int watchHistory;
    private final Map<String, ResourceStore> stores = new ConcurrentHashMap<>();
    private final Set<String> statusSubresource = ConcurrentHashMap.newKeySet();
    /** Discovery: group/version → its resources, as {@code /apis/<group>/<version>} lists them. */
    private final Map<String, Map<String, ResourceDefinitionContext>> discovery = new ConcurrentHashMap<>();

    /** {@code kinds}: the custom resources clients may use before (or without) their CRD being created here. */
    public IndexedApiDispatcher(java.util.List<? extends ResourceDefinitionContext> kinds) {
        this(kinds, WATCH_HISTORY);
    }

    /** {@code watchHistory}: changes per kind a watch can resume from; older resourceVersions get 410. */
    IndexedApiDispatcher(java.util.List<? extends ResourceDefinitionContext> kinds, int watchHistory) {
        this.watchHistory = watchHistory;
        CORE.forEach(this::discoverable);
        kinds.forEach(this::discoverable);
        statusSubresource.add("persistentvolumeclaims"); // as on a real server: status only through /status
    }

    private static final String STRATEGIC_MERGE = "application/strategic-merge-patch+json";
    /** Groups served by kube-apiserver itself; any other is a custom resource's. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "coordination.k8s.io", "storage.k8s.io", "apiextensions.k8s.io",
            "authentication.k8s.io", "authorization.k8s.io", "rbac.authorization.k8s.io", "events.k8s.io");

    private static final java.util.List<ResourceDefinitionContext> CORE = java.util.List.of(
            kind("", "v1", "Namespace", "namespaces", false), kind("", "v1", "Event", "events", true),
            kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true),
            kind("coordination.k8s.io", "v1", "Lease", "leases", true),
            kind("storage.k8s.io", "v1", "StorageClass", "storageclasses", false),
            kind("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false));

    private static ResourceDefinitionContext kind(String group, String version, String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    private void discoverable(ResourceDefinitionContext k) {
        String gv = k.getGroup() == null || k.getGroup().isEmpty() ? k.getVersion() : k.getGroup() + "/" + k.getVersion();
        discovery.computeIfAbsent(gv, x -> new ConcurrentHashMap<>()).put(k.getPlural(), k);
    }

    /** {@code /version}, {@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<group>/<version>}; null for any other path. */
    private MockResponse discover(String rawPath) {
        String p = rawPath.split("\\?", 2)[0].replaceAll("/+$", "");
        if (p.equals("/version")) { // what readiness probes ask (ApiServerProbe)
            return json(200, "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0-indexed-api\",\"platform\":\"linux/amd64\"}");
        }
        if (p.equals("/api")) {
            return json(200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
        }
        if (p.equals("/apis")) {
            String groups = discovery.keySet().stream().filter(gv -> gv.contains("/")).map(gv -> {
                String[] g = gv.split("/");
                String version = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + g[1] + "\"}";
                return "{\"name\":\"" + g[0] + "\",\"versions\":[" + version + "],\"preferredVersion\":" + version + "}";
            }).collect(Collectors.joining(","));
            return json(200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + groups + "]}");
        }
        String gv = p.startsWith("/api/") ? p.substring(5) : p.startsWith("/apis/") ? p.substring(6) : null;
        if (gv == null || gv.chars().filter(c -> c == '/').count() != (p.startsWith("/api/") ? 0 : 1)) {
            return null;
        }
        Map<String, ResourceDefinitionContext> kinds = discovery.get(gv);
        if (kinds == null) {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }
        String resources = kinds.values().stream().map(k -> "{\"name\":\"" + k.getPlural() + "\",\"singularName\":\""
                + k.getKind().toLowerCase(java.util.Locale.ROOT) + "\",\"namespaced\":" + k.isNamespaceScoped() + ",\"kind\":\""
                + k.getKind() + "\",\"verbs\":[\"create\",\"delete\",\"deletecollection\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}")
                .collect(Collectors.joining(","));
        return json(200, "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + gv + "\",\"resources\":[" + resources + "]}");
    }

    /** An answer other than 2xx, with the API server's {@code Status} body. */
    private static final class ApiError extends RuntimeException {
        final int code;
        final String reason;

        ApiError(int code, String reason, String message) {
            super(message, null, false, false);
            this.code = code;
            this.reason = reason;
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        ApiPath path = ApiPath.parse(request.getPath());
        try {
            MockResponse discovered = path == null && "GET".equalsIgnoreCase(request.getMethod()) ? discover(request.getPath()) : null;
            if (discovered != null) {
                return discovered;
            }
            if (path == null) {
                throw new ApiError(404, "NotFound", "the server could not find the requested resource");
            }
            return switch (request.getMethod().toUpperCase(java.util.Locale.ROOT)) {
                case "GET" -> path.name() != null ? get(path) : path.isWatch() ? watch(path) : list(path);
                case "POST" -> create(path, body(request.getUtf8Body()));
                case "PUT" -> update(path, current -> body(request.getUtf8Body()));
                case "PATCH" -> update(path, current -> patched(path, current, request.getHeader("Content-Type"), request.getUtf8Body()));
                case "DELETE" -> path.name() != null ? delete(path) : deleteCollection(path);
                default -> throw new ApiError(405, "MethodNotAllowed", "method not allowed: " + request.getMethod());
            };
        } catch (RuntimeException e) {
            ApiError error = e instanceof ApiError a ? a : new ApiError(500, "InternalError", e.toString()); // answer, never hang the client
            if (error.code == 500) {
                LOG.warn("{} {} failed", request.getMethod(), request.getPath(), e);
            }
            return json(error.code, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                    + quote(error.getMessage()) + ",\"reason\":\"" + error.reason + "\",\"code\":" + error.code + "}");
        }
    }

    private static void refuseInvalidMetadata(ObjectNode object) {
        String violation = ObjectMetaRules.violation(object);
        if (violation != null) {
            throw new ApiError(422, "Invalid", violation);
        }
    }

    private ResourceStore store(ApiPath path) {
        return stores.computeIfAbsent(path.collection(), c -> new ResourceStore(mapper, clock, watchHistory));
    }

    private MockResponse get(ApiPath path) {
        if (path.subresource() != null && !isStatus(path)) {
            throw new ApiError(404, "NotFound", "no subresource " + path.subresource());
        }
        ResourceStore.Stored found = store(path).get(path.namespace(), path.name());
        if (found == null) {
            throw notFound(path);
        }
        return json(200, found.json());
    }

    private MockResponse list(ApiPath path) {
        ResourceStore store = store(path);
        ResourceStore.Listing listing = store.list(filter(path));
        return json(200, listJson(path, store, listing.resourceVersion(), listing.items()));
    }

    private String listJson(ApiPath path, ResourceStore store, long resourceVersion, java.util.List<ResourceStore.Stored> items) {
        String kind = store.kind() == null ? "List" : store.kind() + "List";
        return "{\"apiVersion\":\"" + path.apiVersion() + "\",\"kind\":\"" + kind + "\",\"metadata\":{\"resourceVersion\":\""
                + resourceVersion + "\"},\"items\":[" + items.stream().map(ResourceStore.Stored::json).collect(Collectors.joining(",")) + "]}";
    }

    private MockResponse watch(ApiPath path) {
        ResourceStore store = store(path);
        WatchStream stream = new WatchStream(filter(path), s -> store.open(s, path.param("resourceVersion")), store::close);
        return new MockResponse().withWebSocketUpgrade(stream);
    }

    private static Predicate<ResourceStore.Stored> filter(ApiPath path) {
        Predicate<Map<String, String>> labels = Selector.of(path.param("labelSelector"));
        Predicate<Map<String, String>> fields = Selector.of(path.param("fieldSelector"));
        return o -> (path.namespace() == null || path.namespace().equals(o.namespace()))
                && labels.test(o.labels()) && fields.test(o.fields());
    }

    private MockResponse create(ApiPath path, ObjectNode body) {
        if (path.name() != null) {
            throw new ApiError(405, "MethodNotAllowed", "POST to a named resource");
        }
        refuseInvalidMetadata(body);
        ObjectNode metadata = ResourceStore.metadata(body);
        String name = metadata.path("name").asText("");
        if (name.isEmpty() && !metadata.path("generateName").asText("").isEmpty()) {
            name = metadata.path("generateName").asText() + randomSuffix();
        }
        if (name.isEmpty()) {
            throw new ApiError(422, "Invalid", "metadata.name: Required value: name or generateName is required");
        }
        String sentNamespace = metadata.path("namespace").asText("");
        if (path.namespace() != null && !sentNamespace.isEmpty() && !sentNamespace.equals(path.namespace())) {
            throw new ApiError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }
        String finalName = name;
        ResourceStore.Stored stored = store(path).write(path.namespace(), name, current -> {
            if (current != null) {
                throw new ApiError(409, "AlreadyExists", path.collection() + " \"" + finalName + "\" already exists");
            }
            metadata.put("name", finalName);
            if (path.namespace() != null) {
                metadata.put("namespace", path.namespace());
            }
            metadata.put("uid", UUID.randomUUID().toString());
            metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            metadata.put("generation", 1);
            metadata.remove("deletionTimestamp");
            if (statusSubresource.contains(path.collection())) {
                body.remove("status"); // set only through /status
            }
            return body;
        });
        if (path.collection().equals(CRDS)) {
            registerSubresources(body);
        }
        return json(201, stored.json());
    }

    /** PUT and PATCH: {@code newObject} maps the stored object to the one asked for. */
    private MockResponse update(ApiPath path, UnaryOperator<ObjectNode> newObject) {
        if (path.name() == null || (path.subresource() != null && !isStatus(path))) {
            throw new ApiError(405, "MethodNotAllowed", "cannot update " + path.collection() + (path.subresource() == null ? "" : "/" + path.subresource()));
        }
        boolean statusOnly = path.subresource() != null;
        ResourceStore.Stored stored = store(path).write(path.namespace(), path.name(), current -> {
            if (current == null) {
                throw notFound(path);
            }
            ObjectNode asked = newObject.apply(current.deepCopy());
            refuseInvalidMetadata(asked);
            String sentVersion = asked.path("metadata").path("resourceVersion").asText("");
            String storedVersion = current.path("metadata").path("resourceVersion").asText("");
            if (!sentVersion.isEmpty() && !sentVersion.equals(storedVersion)) {
                throw new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + path.collection() + " \"" + path.name()
                        + "\": the object has been modified; please apply your changes to the latest version and try again");
            }
            if (statusOnly) {
                setOrRemove(current, "status", asked.get("status"));
                return current;
            }
            ObjectNode metadata = ResourceStore.metadata(asked);
            JsonNode kept = current.path("metadata");
            for (String field : new String[] {"name", "namespace", "uid", "creationTimestamp", "generation"}) {
                setOrRemove(metadata, field, kept.get(field));
            }
            if (statusSubresource.contains(path.collection())) {
                setOrRemove(asked, "status", current.get("status")); // the main resource cannot change status
            }
            if (!Objects.equals(current.get("spec"), asked.get("spec"))) {
                metadata.put("generation", kept.path("generation").asLong(0) + 1);
            }
            return asked;
        });
        return json(200, stored.json());
    }

    private MockResponse delete(ApiPath path) {
        ResourceStore.Stored deleted = store(path).write(path.namespace(), path.name(), current -> {
            if (current == null) {
                throw notFound(path);
            }
            return null;
        });
        return json(200, deleted.json());
    }

    private MockResponse deleteCollection(ApiPath path) {
        ResourceStore store = store(path);
        ResourceStore.Listing matching = store.list(filter(path));
        java.util.List<ResourceStore.Stored> deleted = matching.items().stream()
                .map(o -> store.write(path.namespace() == null ? emptyToNull(o.namespace()) : path.namespace(), o.name(), current -> null))
                .filter(Objects::nonNull).toList();
        return json(200, listJson(path, store, matching.resourceVersion(), deleted));
    }

    private ObjectNode patched(ApiPath path, ObjectNode current, String contentType, String patch) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim();
        if (type.equals(STRATEGIC_MERGE) && !BUILT_IN_GROUPS.contains(path.group())) {
            // as kube-apiserver: custom resources have no strategic-merge schema
            throw new ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types "
                    + "include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }
        try {
            JsonNode node = mapper.readTree(patch);
            JsonNode result = switch (type) {
                case "application/json-patch+json" -> JsonPatch.apply(node, current);
                // Strategic merge differs from a merge patch only for lists with merge keys, which we do not patch.
                case "application/merge-patch+json", STRATEGIC_MERGE -> mergePatch(current, node);
                default -> throw new ApiError(415, "UnsupportedMediaType", "unsupported patch type " + contentType);
            };
            if (!(result instanceof ObjectNode object)) {
                throw new ApiError(422, "Invalid", "the patch does not leave an object");
            }
            return object;
        } catch (IOException e) {
            throw new ApiError(400, "BadRequest", "the patch is not JSON: " + e.getMessage());
        } catch (JsonPatchApplicationException e) {
            throw new ApiError(422, "Invalid", "the patch cannot be applied: " + e.getMessage());
        }
    }

    /** RFC 7386: objects merge key by key, null removes, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        patch.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        });
        return result;
    }

    private void registerSubresources(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        for (JsonNode version : spec.path("versions")) {
            discoverable(kind(spec.path("group").asText(), version.path("name").asText(), spec.path("names").path("kind").asText(),
                    spec.path("names").path("plural").asText(), !"Cluster".equals(spec.path("scope").asText())));
            if (version.path("subresources").has("status")) {
                statusSubresource.add(spec.path("names").path("plural").asText() + "." + spec.path("group").asText());
            }
        }
    }

    private boolean isStatus(ApiPath path) {
        return "status".equals(path.subresource()) && statusSubresource.contains(path.collection());
    }

    private ObjectNode body(String text) {
        try {
            if (mapper.readTree(text) instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new ApiError(400, "BadRequest", "the body is not JSON: " + e.getMessage());
        }
        throw new ApiError(400, "BadRequest", "the body is not a JSON object");
    }

    private static ApiError notFound(ApiPath path) {
        return new ApiError(404, "NotFound", path.collection() + " \"" + path.name() + "\" not found");
    }

    private static void setOrRemove(ObjectNode object, String field, JsonNode value) {
        if (value == null || value.isMissingNode()) {
            object.remove(field);
        } else {
            object.set(field, value);
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String randomSuffix() {
        String chars = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            out.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
        }
        return out.toString();
    }

    /** {@code s} as a JSON string literal. */
    private static String quote(String s) {
        return TextNode.valueOf(s).toString();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
