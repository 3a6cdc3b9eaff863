package io.vmclone.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of every service: settings from the environment, a Kubernetes client from the usual
 * places (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}), then run until stopped.
 */
public final class ServiceMain {
    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    public static final String ENV_KUBE_CONTEXT = "VMCLONE_KUBE_CONTEXT";

    private ServiceMain() {}

    public static void run(String service, Function<StageContext, StageHandler> factory) {
        StageSettings settings;
        try {
            settings = StageSettings.from(service, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("vmclone-" + service + ": bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        // VMCLONE_KUBE_CONTEXT picks a kubeconfig context; unset = in-cluster or the current context.
        String context = System.getenv(ENV_KUBE_CONTEXT);
        var registry = StageService.newRegistry(settings.topics()); // shared with the client: API call counts on /metrics
        KubernetesClient kube = ApiCallMetrics.instrument(new KubernetesClientBuilder(), registry)
                .withConfig(Config.autoConfigure(context == null || context.isBlank() ? null : context)).build();
        StageService stage;
        try {
            stage = StageService.start(settings, kube, factory, settings.httpPort(), registry);
        } catch (IllegalArgumentException e) { // a service's own setting (read when its handler is built)
            System.err.println("vmclone-" + service + ": bad configuration: " + e.getMessage());
            kube.close();
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stage.close();
            kube.close();
        }, "shutdown"));
        log.info("vmclone-{} started: kafka={} group={} topics={} api={}", service, settings.bootstrapServers(),
                settings.groupId(), settings.topics(), kube.getMasterUrl());
        try {
            stage.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stage.loop().failure().isPresent()) {
            System.exit(1);
        }
    }
}
