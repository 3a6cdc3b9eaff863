package io.vmclone.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.executor.ExecutorHandler;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.EmbeddedKafkaBroker;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.StorageSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * End-to-end load: an embedded KRaft broker, a Kubernetes API server ({@code --api}: in memory or real), instant simulated storage and the
 * four services, in this JVM ({@link LocalPipeline}) or each in a JVM of its own ({@code --services}).
 * Creates N VirtualMachineClones of the Fedora sample (one PVC-backed disk) as a burst and/or at a target
 * rate, watches their status until terminal, and reports clones/s, created → terminal latency percentiles,
 * API writes and status writes per clone and memory (per service when they run as processes). In the same
 * run, the bare-Kafka {@link RelayBaseline} with messages of the {@code requested} event's size, and the
 * pipeline/relay ratios. See docs/benchmarks.md. Not a test: nothing is asserted,
 * but a run where a clone is lost, failed or duplicated says so and exits 1.
 */
public final class LoadDriver {
    private static final String SAMPLE = "/samples/fedora.yaml";
    private static final String SOURCE = "fedora";

    private final LoadSettings settings;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> problems = new ArrayList<>();
    private Services services;
    private MemorySampler memory;
    private Map<String, String> env;
    /** Per mode: API requests (reads, watches, writes) the services and the storage simulator made per clone. */
    private final Map<String, Double> requestsPerClone = new java.util.HashMap<>();
    /** Per mode: requests/s the mock API server answered just before the mode started (see apiCeiling). */
    private final Map<String, Double> apiCapacity = new java.util.HashMap<>();
    /** Per mode, real server only: creates/s it took just before the mode started (see writeCeiling). */
    private final Map<String, Double> writeCapacity = new java.util.HashMap<>();
    /** Per mode: pipeline API writes per clone. */
    private final Map<String, Double> writesPerClone = new java.util.HashMap<>();

    private LoadDriver(LoadSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        // The mock server logs every request at INFO through java.util.logging: far too much under load.
        java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        LoadSettings settings;
        try {
            settings = LoadSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int exit = new LoadDriver(settings).run();
        System.exit(exit);
    }

    private int run() throws Exception {
        say("settings: %s", settings);
        say("cores: %d, max heap: %d MiB", Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try (KafkaBroker broker = EmbeddedKafkaBroker.start();
             LoadApi api = LoadApi.start(settings.api(), Path.of("benchmarks", "target", "load-" + run, "kube-api").toAbsolutePath())) {
            RequestCounter writes = api.counter();
            say("API: %s", api.describe());
            env = StageSettings.isolatedEnv(broker.bootstrapServers(), "load", settings.partitions());
            env.put(BridgeSettings.ENV_HTTP_PORT, "-1");
            KubernetesClient driver = api.client("driver");
            try (StorageSimulator storage = new StorageSimulator(api.client("storage-simulator"), Duration.ZERO, 1).start();
                 Services services = startServices(api);
                 MemorySampler memory = new MemorySampler(services.pids(), thisJvm(services), line -> say("%s", line))) {
                this.services = services;
                this.memory = memory;
                say("services: %s", services.describe());
                waitFor("services ready", services::ready, Duration.ofSeconds(120));
                if (settings.warmup() > 0) {
                    clones(api, driver, writes, "load-warmup", LoadSettings.BURST, settings.warmup(), false);
                }
                Memory before = Memory.afterGc();
                Map<String, Memory> rssBefore = memory.now();
                Map<String, Long> heapBefore = liveHeaps();
                say("memory before: %s%s", before.line(), services.pids().isEmpty() ? "" : "; " + MemorySampler.rssLine(rssBefore));
                List<Result> results = new ArrayList<>();
                for (String mode : settings.modes()) {
                    results.add(new Result(mode, clones(api, driver, writes, "load-" + mode, mode, settings.clones(), true), null));
                }
                say("API round trip (GET of the source VM, sequential, after the run): %s", roundTrip(driver, "load-" + settings.modes().get(0)));
                stageTimes();
                Memory after = Memory.afterGc();
                Map<String, Memory> rssAfter = memory.now();
                Map<String, Long> heapAfter = liveHeaps();
                say("memory after:  %s (%s)", after.line(), jvmContents());
                if (settings.relay()) {
                    results = relay(broker, results);
                }
                summary(results, before, after);
                if (!services.pids().isEmpty()) {
                    memoryPerProcess(rssBefore, rssAfter, heapBefore, heapAfter);
                }
            } finally {
                driver.close();
            }
        }
        problems.forEach(p -> say("PROBLEM: %s", p));
        return problems.isEmpty() ? 0 : 1;
    }

    /** Creates {@code count} clones in {@code ns} and waits until every one is terminal; returns the figures. */
    private Latencies clones(LoadApi api, KubernetesClient kube, RequestCounter writes, String ns, String mode, int count,
                             boolean report) throws Exception {
        KubeCluster cluster = api.cluster();
        cluster.createNamespace(ns);
        cluster.apply(SAMPLE, ns);
        if (report) {
            // The mock API server slows down as it stores more objects (it scans them all on each request).
            apiCapacity.put(mode, apiCeiling(api, ns));
            say("%s: API server capacity now (GETs from 8 threads for 3 s): %.0f requests/s", mode, apiCapacity.get(mode));
            if (api.real()) {
                writeCapacity.put(mode, writeCeiling(api, ns));
                say("%s: API server write ceiling now (creates of a small custom resource from 8 threads for 3 s): %.0f creates/s",
                        mode, writeCapacity.get(mode));
            }
        }
        Map<String, Long> writesBefore = writes.snapshot();
        FinishedCloneCleaner cleaner = settings.cleanup() && report ? new FinishedCloneCleaner(kube, cluster.cloneGroup(), ns) : null;
        try (CloneTracker tracker = new CloneTracker(kube, cluster.cloneGroup(), ns);
             var timeline = report ? memory.timeline(mode, tracker::finishedCount, count) : null) {
            if (cleaner != null) {
                tracker.cleanUpWith(cleaner);
            }
            String label = report ? mode : "warm-up";
            say("%s: creating %d clones in %s%s", label, count, ns,
                    LoadSettings.RATE.equals(mode) ? String.format(Locale.ROOT, " at %.0f/s", settings.rate()) : " as fast as possible");
            create(kube, cluster.cloneGroup(), ns, mode, count, tracker);
            waitFor(label + ": all clones terminal", () -> {
                services.stopped().ifPresent(stopped -> {
                    throw new IllegalStateException(label + ": a service stopped with " + tracker.finishedCount() + " of " + count
                            + " clones terminal: " + stopped);
                });
                return tracker.finishedCount() >= count;
            }, Duration.ofSeconds(settings.timeoutSeconds()));
            Latencies latencies = tracker.latencies();
            if (!report) {
                return latencies;
            }
            say("%s: %s", mode, latencies.line());
            long succeeded = tracker.count(ClonePhase.Succeeded);
            if (succeeded != count) {
                problems.add(mode + ": " + succeeded + " of " + count + " clones Succeeded (" + tracker.finishedCount() + " terminal)");
            }
            if (cleaner != null) {
                cleaner.close();
                say("%s: %d clones checked (1 VM + 1 DataVolume each) and deleted as they finished", mode, cleaner.cleaned());
                cleaner.problems().forEach(p -> problems.add(mode + ": " + p));
            } else {
                checkNothingLostOrDoubled(kube, ns, mode, count);
            }
            say("%s: where the time goes (from each event's time):", mode);
            HopTimes.lines(new EventLogReader(StageSettings.from("load-audit", env)), ns, tracker.createdMillis(), tracker.finishedMillis())
                    .forEach(line -> say("    %s", line));
            Map<String, Long> delta = ApiWriteCounter.delta(writesBefore, writes.snapshot());
            reportWrites(mode, delta, count);
            return latencies;
        }
    }

    private void create(KubernetesClient kube, String group, String ns, String mode, int count, CloneTracker tracker)
            throws InterruptedException {
        if (LoadSettings.RATE.equals(mode)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long wait = start + (long) (i * 1e9 / settings.rate()) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                createOne(kube, group, ns, i, tracker);
            }
            double offered = count / ((System.nanoTime() - start) / 1e9);
            say("rate: offered %.1f clones/s (target %.0f)", offered, settings.rate());
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(settings.creators());
        for (int i = 0; i < count; i++) {
            int n = i;
            pool.execute(() -> createOne(kube, group, ns, n, tracker));
        }
        pool.shutdown();
        if (!pool.awaitTermination(settings.timeoutSeconds(), TimeUnit.SECONDS)) {
            problems.add(mode + ": creating the clones took longer than the timeout");
        }
    }

    private static void createOne(KubernetesClient kube, String group, String ns, int i, CloneTracker tracker) {
        String name = cloneName(i);
        tracker.creating(name);
        // As a user's script would: a create whose answer was lost (timeout) is tried again; 409 = it was stored.
        for (int attempt = 1; ; attempt++) {
            try {
                kube.resource(VirtualMachineClones.newResource(group, ns, name, CloneSpec.of(SOURCE, name + "-copy"), Map.of())).create();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return;
                }
                if (attempt >= 5 || !io.vmclone.runtime.Failures.isTransient(e)) {
                    throw e;
                }
            }
        }
    }

    private static String cloneName(int i) {
        return String.format(Locale.ROOT, "c-%05d", i);
    }

    private Services startServices(LoadApi api) throws java.io.IOException {
        if (LoadSettings.PROCESSES.equals(settings.services())) {
            // bench.sh runs from the repository's root: the logs stay with the build's other output.
            return ServicesInProcesses.start(env, api, Path.of("benchmarks", "target", "load-" + run));
        }
        return ServicesInThreads.start(env, api::client);
    }

    /** How this JVM is called in the memory figures: what it holds depends on where the services run. */
    private static String thisJvm(Services services) {
        return services.pids().isEmpty() ? "one JVM (all)" : "driver JVM";
    }

    private String jvmContents() {
        return services.pids().isEmpty() ? "all services, the broker and the mock API server share this JVM"
                : "the driver JVM: the broker, the mock API server, the storage simulator and the driver; each service has its own";
    }

    /**
     * Where the time went: per stage, events handled and time spent in its handler (Kubernetes calls
     * included), from each service's own {@code vmclone.stage.handle} timers, as its {@code /metrics} shows
     * them. Cumulative over the run.
     */
    private void stageTimes() {
        say("time in handlers (whole run, warm-up included; summed over each stage's worker threads, which run at once; the bridge's watcher is not timed):");
        services.metrics().forEach((stage, metrics) -> {
            long count = (long) sum(metrics, "vmclone_stage_handle_seconds_count");
            double seconds = sum(metrics, "vmclone_stage_handle_seconds_sum");
            say("    %-16s %7d events, %8.1f s in handlers, %6.2f ms per event", stage, count, seconds,
                    count == 0 ? 0 : seconds * 1000 / count);
        });
    }

    /** The sum of one metric's samples over all its labels, in Prometheus text ({@code name{labels} value}). */
    private static double sum(String prometheus, String name) {
        return prometheus.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Exactly one target VM and one DataVolume per clone, each labelled with its clone. */
    private void checkNothingLostOrDoubled(KubernetesClient kube, String ns, String mode, int count) {
        List<GenericKubernetesResource> vms = kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns)
                .withLabel(CloneLabels.CLONE_UID).list().getItems();
        List<GenericKubernetesResource> dvs = kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(ns)
                .withLabel(CloneLabels.CLONE_UID).list().getItems();
        long distinctVmOwners = vms.stream().map(v -> v.getMetadata().getLabels().get(CloneLabels.CLONE_UID)).distinct().count();
        say("%s: %d target VMs (%d distinct clones), %d DataVolumes", mode, vms.size(), distinctVmOwners, dvs.size());
        if (vms.size() != count || distinctVmOwners != count || dvs.size() != count) {
            problems.add(mode + ": expected " + count + " VMs and DataVolumes, one per clone; got " + vms.size() + " VMs ("
                    + distinctVmOwners + " distinct) and " + dvs.size() + " DataVolumes");
        }
    }

    private void reportWrites(String mode, Map<String, Long> delta, int count) {
        say("%s: API requests by actor (writes by method and resource; reads = GET/LIST/WATCH):", mode);
        delta.forEach((k, v) -> say("    %-55s %8d  (%.2f per clone)", k, v, v / (double) count));
        long objectWrites = sum(delta, ExecutorHandler.STAGE + " ", "virtualmachines", "datavolumes");
        long statusWrites = delta.entrySet().stream()
                .filter(e -> e.getKey().endsWith(KubeResources.CLONE_PLURAL + "/status")).mapToLong(Map.Entry::getValue).sum();
        long pipelineWrites = delta.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("driver") && !e.getKey().startsWith("storage-simulator") && !e.getKey().endsWith("reads"))
                .mapToLong(Map.Entry::getValue).sum();
        long pipelineRequests = delta.entrySet().stream().filter(e -> !e.getKey().startsWith("driver"))
                .mapToLong(Map.Entry::getValue).sum();
        requestsPerClone.put(mode, pipelineRequests / (double) count);
        writesPerClone.put(mode, pipelineWrites / (double) count);
        say("%s: per clone: %.2f object writes (VM + DataVolumes; the VM has 1 disk, so the goal is <= 2), "
                + "%.2f status writes (goal <= 4), %.2f pipeline API writes in all", mode,
                objectWrites / (double) count, statusWrites / (double) count, pipelineWrites / (double) count);
    }

    private static long sum(Map<String, Long> delta, String actor, String... resources) {
        long total = 0;
        for (var e : delta.entrySet()) {
            for (String r : resources) {
                if (e.getKey().startsWith(actor) && e.getKey().endsWith(" " + r)) {
                    total += e.getValue();
                }
            }
        }
        return total;
    }

    private List<Result> relay(KafkaBroker broker, List<Result> pipeline) throws Exception {
        ProducerRecord<String, byte[]> requested = requestedRecord();
        say("relay: message of the requested event: %d bytes value, %d headers", requested.value().length,
                requested.headers().toArray().length);
        List<Result> out = new ArrayList<>();
        try (RelayBaseline relay = new RelayBaseline(broker.bootstrapServers(), run, settings.partitions())) {
            waitFor("relay ready", relay::ready, Duration.ofSeconds(120));
            if (settings.warmup() > 0) {
                relay.measure("warmup", settings.warmup(), 0, requested.value(), requested.headers(), Duration.ofSeconds(120));
            }
            for (Result r : pipeline) {
                double rate = LoadSettings.RATE.equals(r.mode()) ? settings.rate() : 0;
                Latencies l = relay.measure(r.mode(), settings.clones(), rate, requested.value(), requested.headers(),
                        Duration.ofSeconds(settings.timeoutSeconds()));
                say("relay %s: %s", r.mode(), l.line());
                if (l.count() != settings.clones()) {
                    problems.add("relay " + r.mode() + ": " + l.count() + " of " + settings.clones() + " messages came through");
                }
                out.add(new Result(r.mode(), r.pipeline(), l));
            }
        }
        return out;
    }

    /** A {@code requested} event as the bridge writes it for one of our clones: the relay sends this size. */
    private static ProducerRecord<String, byte[]> requestedRecord() {
        CloneRef ref = new CloneRef("load-burst", cloneName(0), UUID.randomUUID().toString());
        CloneEvent event = CloneEvent.of("bridge", EventType.REQUESTED, new Requested(ref, 1L, CloneSpec.of(SOURCE, ref.name() + "-copy"),
                Requester.trusted(null, "created through the Kubernetes API (RBAC on virtualmachineclones)"), Origin.resource()),
                OffsetDateTime.now(), null);
        return new EventCodec().toRecord("relay", event);
    }

    private void summary(List<Result> results, Memory before, Memory after) {
        say("");
        say("=== summary (services: %s) ===", services.describe());
        for (Result r : results) {
            say("%-6s pipeline: %s", r.mode(), r.pipeline().line());
            if (r.relay() != null) {
                say("%-6s relay:    %s", r.mode(), r.relay().line());
                say("%-6s ratios:   throughput pipeline/relay = %.2f (goal >= 0.50); p99 pipeline/relay = %.2f", r.mode(),
                        r.pipeline().perSecond() / r.relay().perSecond(), r.pipeline().p99Millis() / r.relay().p99Millis());
            }
        }
        for (Result r : results) {
            Double perClone = requestsPerClone.get(r.mode());
            Double capacity = apiCapacity.get(r.mode());
            if (perClone != null && perClone > 0 && capacity != null && capacity > 0) {
                double ceiling = capacity / perClone;
                say("%-6s API ceiling: %.1f requests per clone at %.0f requests/s (measured before the mode) = at most %.1f clones/s;"
                        + " pipeline reached %.0f %% of it", r.mode(), perClone, capacity, ceiling, 100 * r.pipeline().perSecond() / ceiling);
            }
            Double writeCeiling = writeCapacity.get(r.mode());
            Double writes = writesPerClone.get(r.mode());
            if (writeCeiling != null && writes != null && writes > 0) {
                double bound = writeCeiling / writes;
                say("%-6s write ceiling: %.0f creates/s / %.2f writes per clone = at most %.1f clones/s; pipeline %.1f clones/s = %.2f of it"
                        + " (goal >= 0.80)", r.mode(), writeCeiling, writes, bound, r.pipeline().perSecond(), r.pipeline().perSecond() / bound);
            }
        }
        say("memory: before %s; after %s; growth %d MiB RSS (%s)", before.line(), after.line(), (after.rssKb() - before.rssKb()) / 1024,
                jvmContents());
    }

    /** RSS of each process before the measured clones (after the warm-up) and after them, and its peak (VmHWM). */
    private void memoryPerProcess(Map<String, Memory> before, Map<String, Memory> after, Map<String, Long> heapBefore,
                                  Map<String, Long> heapAfter) {
        say("memory per process: RSS before the measured clones (after warm-up) -> after them; peak = VmHWM (the highest over its"
                + " life); heap retained after a full GC (jcmd GC.run), before -> after");
        after.forEach((name, a) -> say("    %-16s RSS %5d -> %5d MiB (%+d), peak %5d MiB%s", name, before.get(name).rssMib(), a.rssMib(),
                a.rssMib() - before.get(name).rssMib(), a.peakRssKb() / 1024, heapBefore.containsKey(name) && heapAfter.containsKey(name)
                        ? String.format(Locale.ROOT, "; heap retained %.1f -> %.1f MiB", heapBefore.get(name) / 1024.0, heapAfter.get(name) / 1024.0)
                        : ""));
    }

    /** Each service process's heap after a full GC (KiB), where jcmd could tell; empty with in-JVM services. */
    private Map<String, Long> liveHeaps() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        services.pids().forEach((name, pid) -> {
            long kb = Memory.liveHeapKb(pid);
            if (kb >= 0) {
                out.put(name, kb);
            }
        });
        return out;
    }

    /** Mean and p99 of 200 sequential GETs on the mock API server: the cost of one API round trip here. */
    private static String roundTrip(KubernetesClient kube, String ns) {
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns).withName(SOURCE).get();
            nanos[i] = System.nanoTime() - t;
        }
        Latencies l = Latencies.of(nanos, java.util.Arrays.stream(nanos).sum());
        return String.format(Locale.ROOT, "mean %.2f ms, p99 %.2f ms", 1000.0 / l.perSecond(), l.p99Millis());
    }

    /**
     * How many requests per second the mock API server answers when nothing else runs: GETs of the source
     * VM from 8 threads for 3 s. With the requests a clone costs, it bounds clones/s whatever the pipeline does.
     */
    private static double apiCeiling(LoadApi api, String ns) throws InterruptedException {
        try (KubernetesClient probe = api.client("probe")) {
            return perSecondFrom8Threads(n -> probe.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns)
                    .withName(SOURCE).get());
        }
    }

    /**
     * The real server's write ceiling: creates per second of a small custom resource (a VirtualMachineSnapshot,
     * which nothing in the pipeline watches) from 8 threads for 3 s. Divided by the writes a clone costs, it
     * bounds clones/s on this server whatever the pipeline does.
     */
    private static double writeCeiling(LoadApi api, String ns) throws InterruptedException {
        try (KubernetesClient probe = api.client("probe")) {
            java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
            return perSecondFrom8Threads(n -> probe.resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                    .withApiVersion("snapshot.kubevirt.io/v1beta1").withKind("VirtualMachineSnapshot")
                    .withNewMetadata().withName("ceiling-" + seq.incrementAndGet()).withNamespace(ns).endMetadata()
                    .addToAdditionalProperties("spec", Map.of("source", Map.of("apiGroup", "kubevirt.io", "kind", "VirtualMachine",
                            "name", SOURCE)))
                    .build()).create());
        }
    }

    private static double perSecondFrom8Threads(java.util.function.IntConsumer request) throws InterruptedException {
        java.util.concurrent.atomic.LongAdder done = new java.util.concurrent.atomic.LongAdder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    request.accept(0);
                    done.increment();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        return done.sum() / 3.0;
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier done, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
    }

    private record Result(String mode, Latencies pipeline, Latencies relay) {}
}
