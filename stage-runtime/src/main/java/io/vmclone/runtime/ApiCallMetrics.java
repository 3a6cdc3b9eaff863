package io.vmclone.runtime;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Counts Kubernetes API calls as {@code vmclone.kube.requests{verb, resource, code}}: the RBAC verb
 * (get/list/watch/create/update/patch/delete), {@code group/resource[/subresource]} and the HTTP status
 * ({@code connection-error} when no response came). Installed as a fabric8 HTTP interceptor.
 */
public final class ApiCallMetrics implements Interceptor {
    public static final String NAME = "vmclone-api-metrics";
    public static final String CONNECTION_ERROR = "connection-error";

    private final MeterRegistry registry;

    public ApiCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code builder} with this interceptor on every HTTP client it makes. */
    public static KubernetesClientBuilder instrument(KubernetesClientBuilder builder, MeterRegistry registry) {
        ApiCallMetrics metrics = new ApiCallMetrics(registry);
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(NAME, metrics));
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        count(request, String.valueOf(response.code()));
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        count(request, CONNECTION_ERROR);
    }

    private void count(HttpRequest request, String code) {
        Call call = Call.of(request.method(), request.uri());
        registry.counter("vmclone.kube.requests", "verb", call.verb(), "resource", call.resource(), "code", code).increment();
    }

    /** What one request does, in RBAC terms; pure, from the method and URI. */
    record Call(String verb, String resource) {
        static Call of(String method, URI uri) {
            String[] parts = uri.getPath().replaceAll("^/+|/+$", "").split("/");
            int start;
            String group;
            if (parts.length >= 2 && parts[0].equals("api")) {
                group = "";
                start = 2;
            } else if (parts.length >= 3 && parts[0].equals("apis")) {
                group = parts[1];
                start = 3;
            } else {
                return new Call(method.toLowerCase(java.util.Locale.ROOT), "/" + String.join("/", parts)); // /version, discovery
            }
            List<String> rest = List.of(parts).subList(Math.min(start, parts.length), parts.length);
            if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
                rest = rest.subList(2, rest.size()); // namespaced: drop namespaces/<ns>
            }
            if (rest.isEmpty()) {
                return new Call(method.toLowerCase(java.util.Locale.ROOT), "/" + String.join("/", parts));
            }
            String resource = group + "/" + rest.get(0) + (rest.size() >= 3 ? "/" + rest.get(2) : "");
            boolean named = rest.size() >= 2;
            String query = uri.getQuery() == null ? "" : uri.getQuery();
            String verb = switch (method.toUpperCase(java.util.Locale.ROOT)) {
                case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> named ? "delete" : "deletecollection";
                default -> method.toLowerCase(java.util.Locale.ROOT);
            };
            return new Call(verb, resource);
        }
    }
}
