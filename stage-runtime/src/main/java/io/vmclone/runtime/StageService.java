package io.vmclone.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * One running service: topics ensured, its handler built, the stage loop on its own thread, and the
 * health/metrics endpoint. The sandbox starts four of these in one JVM; {@link ServiceMain} starts one.
 */
public final class StageService implements AutoCloseable {
    private final StageLoop loop;
    private final Thread thread;
    private final HealthServer health;
    private final StageHandler handler;
    private final PrometheusMeterRegistry registry;
    private final ApiServerProbe apiServer;

    private StageService(StageLoop loop, Thread thread, HealthServer health, StageHandler handler, PrometheusMeterRegistry registry,
                         ApiServerProbe apiServer) {
        this.apiServer = apiServer;
        this.loop = loop;
        this.thread = thread;
        this.health = health;
        this.handler = handler;
        this.registry = registry;
    }

    /**
     * @param httpPort -1 for no health endpoint, 0 for any free port
     */
    public static StageService start(StageSettings settings, KubernetesClient kube, Function<StageContext, StageHandler> factory,
                                     int httpPort) {
        return start(settings, kube, factory, httpPort, newRegistry(settings.topics()));
    }

    /**
     * A registry for {@link #start(StageSettings, KubernetesClient, Function, int, PrometheusMeterRegistry)}, with the
     * {@link MetricCatalogue}'s help texts and buckets; {@code topics} are the ones whose Kafka metrics it keeps once.
     */
    public static PrometheusMeterRegistry newRegistry(Topics topics) {
        return MetricCatalogue.configure(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(topics.events(), topics.intake(), topics.deadLetter()));
    }

    /**
     * As above, publishing into {@code registry}, which the caller may already have given to the Kubernetes
     * client ({@link ApiCallMetrics}) so API calls show on the same {@code /metrics}.
     */
    public static StageService start(StageSettings settings, KubernetesClient kube, Function<StageContext, StageHandler> factory,
                                     int httpPort, PrometheusMeterRegistry registry) {
        TopicProvisioner.ensure(settings);
        JvmMetrics.bindTo(registry);
        StageHandler handler = factory.apply(new StageContext(settings, kube, registry, Clock.systemUTC()));
        StageLoop loop = new StageLoop(settings, handler, new EventCodec(), registry);
        Thread thread = new Thread(loop, "stage-" + settings.service());
        thread.start();
        HealthServer health = null;
        ApiServerProbe apiServer = ApiServerProbe.of(kube);
        if (httpPort >= 0) {
            try {
                // Ready = Kafka partitions assigned AND the API server answers (checked lazily, cached).
                health = new HealthServer(httpPort, loop::running, () -> ready(loop, handler, apiServer), registry);
            } catch (IOException e) {
                loop.close();
                throw new UncheckedIOException("could not open the health port " + httpPort, e);
            }
        }
        return new StageService(loop, thread, health, handler, registry, apiServer);
    }

    public StageLoop loop() {
        return loop;
    }

    public StageHandler handler() {
        return handler;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * What {@code /readyz} answers: consuming with partitions assigned, the API server answering, and the
     * handler doing its own work where it has some ({@link Readiness}).
     */
    public boolean ready() {
        return ready(loop, handler, apiServer);
    }

    private static boolean ready(StageLoop loop, StageHandler handler, ApiServerProbe apiServer) {
        return loop.ready() && apiServer.getAsBoolean() && (!(handler instanceof Readiness r) || r.ready());
    }

    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    /** Blocks until the loop ends (on close or on a fatal error). */
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() {
        loop.close();
        if (health != null) {
            health.close();
        }
    }
}
