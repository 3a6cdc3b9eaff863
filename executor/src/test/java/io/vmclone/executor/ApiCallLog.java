package io.vmclone.executor;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records every request the executor's own Kubernetes client sends, with the answer's status code: the
 * real count of API writes a clone costs (the test's CDI stand-in uses another client and is not counted).
 */
final class ApiCallLog implements Interceptor {
    record Call(String method, String path, int code) {
        boolean write() {
            return !method.equals("GET");
        }

        boolean ok() {
            return code >= 200 && code < 300;
        }

        boolean creates(String plural) {
            return method.equals("POST") && path.endsWith("/" + plural);
        }
    }

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        calls.add(new Call(request.method(), request.uri().getPath(), response.code()));
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Every write request sent (POST, PUT, PATCH, DELETE), whatever the answer. */
    List<Call> writes() {
        return calls().stream().filter(Call::write).toList();
    }

    /** Write requests the API server accepted. */
    List<Call> acceptedWrites() {
        return writes().stream().filter(Call::ok).toList();
    }

    /** Write requests the API server accepted that touch objects of {@code namespace}. */
    List<Call> acceptedWrites(String namespace) {
        return acceptedWrites().stream().filter(c -> c.path().contains("/namespaces/" + namespace + "/")).toList();
    }
}
