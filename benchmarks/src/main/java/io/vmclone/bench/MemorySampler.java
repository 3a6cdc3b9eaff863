package io.vmclone.bench;

import io.vmclone.runtime.DaemonThreads;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The memory of each service process and of the driver's own JVM, sampled every 2 s on a thread of its own:
 * during a mode it prints a line now and then ({@link #timeline}), so a reader of a long run sees whether
 * memory stays flat — also while the driver is still creating clones; a service that has exited keeps its
 * last figures.
 */
final class MemorySampler implements AutoCloseable {
    private static final long LINE_EVERY_CLONES = 1000;
    private static final long LINE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** By name, in pipeline order, this JVM last. */
    private final Map<String, Long> pids;
    private final Map<String, Memory> latest = new ConcurrentHashMap<>();
    private final Consumer<String> out;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("memory-sampler"));
    private volatile Timeline timeline;

    /**
     * @param thisJvm the name this JVM goes by in the output (what runs in it depends on {@code --services})
     * @param out     where timeline lines go
     */
    MemorySampler(Map<String, Long> servicePids, String thisJvm, Consumer<String> out) {
        pids = new LinkedHashMap<>(servicePids);
        pids.put(thisJvm, ProcessHandle.current().pid());
        this.out = out;
        sample();
        sampler.scheduleWithFixedDelay(this::tick, 2, 2, TimeUnit.SECONDS);
    }

    private void tick() {
        sample();
        Timeline t = timeline;
        if (t != null) {
            t.maybePrint();
        }
    }

    private void sample() {
        pids.forEach((name, pid) -> {
            Memory m = Memory.of(pid);
            if (m.known()) {
                latest.put(name, m);
            }
        });
    }

    /** Each process's memory now (the last figures for one that has gone), in pipeline order, this JVM last. */
    Map<String, Memory> now() {
        sample();
        return latest();
    }

    private Map<String, Memory> latest() {
        Map<String, Memory> result = new LinkedHashMap<>();
        pids.keySet().forEach(name -> result.put(name, latest.getOrDefault(name, new Memory(-1, -1, -1))));
        return result;
    }

    /**
     * Until closed, a line with each process's RSS whenever {@value #LINE_EVERY_CLONES} more clones are
     * terminal or 30 s have passed since the last line.
     */
    Timeline timeline(String mode, LongSupplier finished, int count) {
        Timeline t = new Timeline(mode, finished, count);
        timeline = t;
        return t;
    }

    /** {@code RSS MiB bridge 250, planner 260, …}. */
    static String rssLine(Map<String, Memory> memory) {
        return "RSS MiB " + memory.entrySet().stream()
                .map(e -> e.getKey() + " " + (e.getValue().known() ? Long.toString(e.getValue().rssMib()) : "?"))
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    /** One mode's timeline; only the sampler's thread prints it. */
    final class Timeline implements AutoCloseable {
        private final String mode;
        private final LongSupplier finished;
        private final int count;
        private final long started = System.nanoTime();
        private long lineFinished;
        private long lineNanos = started;

        private Timeline(String mode, LongSupplier finished, int count) {
            this.mode = mode;
            this.finished = finished;
            this.count = count;
        }

        private void maybePrint() {
            long now = System.nanoTime();
            long done = finished.getAsLong();
            if (done - lineFinished < LINE_EVERY_CLONES && now - lineNanos < LINE_EVERY_NANOS) {
                return;
            }
            lineFinished = done;
            lineNanos = now;
            out.accept(String.format(Locale.ROOT, "%s: memory %.0f s into the mode, %d of %d clones terminal: %s", mode,
                    (now - started) / 1e9, done, count, rssLine(latest())));
        }

        @Override
        public void close() {
            if (timeline == this) {
                timeline = null;
            }
        }
    }
}
