package io.vmclone.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.StageService;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** {@code --services=threads}: the four services in the driver's JVM ({@link LocalPipeline}). */
final class ServicesInThreads implements Services {
    private final LocalPipeline pipeline;

    private ServicesInThreads(LocalPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** @param client a Kubernetes client whose requests count as the named service's (see ApiWriteCounter) */
    static ServicesInThreads start(Map<String, String> env, Function<String, KubernetesClient> client) {
        // LocalPipeline asks for one client per service, in pipeline order: tag each with its service's name.
        Iterator<String> actors = LocalPipeline.stages().keySet().iterator();
        return new ServicesInThreads(LocalPipeline.start(env, service -> client.apply(actors.next()), -1));
    }

    @Override
    public boolean ready() {
        return pipeline.ready();
    }

    @Override
    public Optional<String> stopped() {
        return pipeline.services().stream().filter(s -> !s.loop().running()).findFirst()
                .map(s -> s.loop().failure().map(Throwable::toString).orElse("stopped"));
    }

    @Override
    public Map<String, String> metrics() {
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<StageService> services = pipeline.services().iterator();
        LocalPipeline.stages().keySet().forEach(stage -> out.put(stage, services.next().registry().scrape()));
        return out;
    }

    @Override
    public Map<String, Long> pids() {
        return Map.of();
    }

    @Override
    public String describe() {
        return "threads of this JVM (with the broker, the mock API server and the storage simulator)";
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
