package io.vmclone.cli.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.BridgeMain;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.executor.ExecutorHandler;
import io.vmclone.executor.ExecutorMain;
import io.vmclone.planner.PlannerHandler;
import io.vmclone.planner.PlannerMain;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.status.StatusReporterHandler;
import io.vmclone.status.StatusReporterMain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The four services in one JVM, each with its own settings, Kubernetes client and Kafka clients, as
 * if they were separate processes. Used by the sandbox and the end-to-end tests.
 */
public final class LocalPipeline implements AutoCloseable {
    private final List<StageService> services = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();

    private LocalPipeline() {}

    /** One service: its name, the decision logic a stage runs, and the {@code main} that runs it as a process. */
    public record Service(String name, Function<StageContext, StageHandler> handler, Class<?> main) {
    }

    /** The four services in pipeline order. */
    public static List<Service> catalogue() {
        return List.of(
                new Service(BridgeHandler.STAGE, BridgeHandler::new, BridgeMain.class),
                new Service(PlannerHandler.STAGE, PlannerHandler::new, PlannerMain.class),
                new Service(ExecutorHandler.STAGE, ExecutorHandler::new, ExecutorMain.class),
                new Service(StatusReporterMain.SERVICE, StatusReporterHandler::new, StatusReporterMain.class));
    }

    /** The services in pipeline order, by name. */
    public static Map<String, Function<StageContext, StageHandler>> stages() {
        Map<String, Function<StageContext, StageHandler>> stages = new LinkedHashMap<>();
        catalogue().forEach(s -> stages.put(s.name(), s.handler()));
        return stages;
    }

    /** Each service's {@code main} class, in pipeline order, by name: to run them as processes of their own instead. */
    public static Map<String, Class<?>> mains() {
        Map<String, Class<?>> mains = new LinkedHashMap<>();
        catalogue().forEach(s -> mains.put(s.name(), s.main()));
        return mains;
    }

    /**
     * @param env      settings shared by all services ({@code KAFKA_BOOTSTRAP_SERVERS}, topics, API group ...)
     * @param clientOf a new Kubernetes client per service, by service name: on a real API server, one
     *                 authenticated as that service's own ServiceAccount, so the shipped RBAC is what applies
     * @param httpPort -1 for no health endpoints, 0 for free ports
     */
    public static LocalPipeline start(Map<String, String> env, Function<String, KubernetesClient> clientOf, int httpPort) {
        Map<String, String> settings = new HashMap<>(env);
        // In one JVM several pipelines may run (tests, sandbox): the bridge's HTTP endpoint takes any free port.
        settings.putIfAbsent(BridgeSettings.ENV_HTTP_PORT, "0");
        // Everything here runs on this machine (tests, the sandbox, the load driver): its door speaks plain HTTP, asked
        // for here by name, unless certificate files are given (a deployed bridge has no such default: TLS).
        if (!settings.containsKey(BridgeSettings.ENV_TLS_CERT_FILE)) {
            settings.putIfAbsent(BridgeSettings.ENV_PLAIN_HTTP, "true");
        }
        LocalPipeline pipeline = new LocalPipeline();
        try {
            stages().forEach((name, factory) -> {
                KubernetesClient client = clientOf.apply(name);
                pipeline.clients.add(client);
                pipeline.services.add(StageService.start(StageSettings.from(name, settings), client, factory, httpPort));
            });
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    public List<StageService> services() {
        return services;
    }

    /** True when every service's consumer has its partitions. */
    public boolean ready() {
        return services.stream().allMatch(s -> s.loop().ready());
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        clients.forEach(KubernetesClient::close);
    }
}
