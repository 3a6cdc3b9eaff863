package io.vmclone.runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container healthcheck without curl in the image: {@code java -cp @/app/jib-classpath-file
 * io.vmclone.runtime.HealthProbe [path]} exits 0 when {@code http://localhost:$VMCLONE_HTTP_PORT/<path>}
 * answers 200, 1 otherwise. The path defaults to {@code readyz}.
 */
public final class HealthProbe {
    private HealthProbe() {}

    public static void main(String[] args) {
        String path = args.length > 0 ? args[0] : "readyz";
        String port = System.getenv().getOrDefault(StageSettings.ENV_HTTP_PORT, "8080");
        System.exit(check(URI.create("http://localhost:" + port + "/" + path.replaceFirst("^/", ""))) ? 0 : 1);
    }

    public static boolean check(URI uri) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
