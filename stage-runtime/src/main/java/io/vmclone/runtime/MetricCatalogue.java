package io.vmclone.runtime;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every {@code vmclone.*} metric's help text (Prometheus {@code # HELP}), in one place next to docs/operations.md's
 * table, the histogram buckets, and the filters every service registry gets: the help, and no second copy of Kafka's
 * per-topic consumer metrics (the client also records each under the topic's name with {@code .} replaced by {@code _}).
 */
public final class MetricCatalogue {
    private MetricCatalogue() {}

    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("vmclone.clones.requested", "Clones that entered the pipeline (bridge)"),
            Map.entry("vmclone.clones.planned", "Plans made (planner)"),
            Map.entry("vmclone.clones.rejected", "Requests refused, by reason (bridge: invalid spec; planner: e.g. SourceNotFound)"),
            Map.entry("vmclone.clones.succeeded", "Clones finished (executor)"),
            Map.entry("vmclone.clones.failed", "Clones failed, by reason (executor; planner on give-up)"),
            Map.entry("vmclone.clones.cancelled", "Cancellations carried out (executor)"),
            Map.entry("vmclone.clone.duration", "Clone requested to its end, by outcome (status reporter)"),
            Map.entry("vmclone.clone.volume.progress", "Overall DataVolume copy progress of an in-flight clone, 0 to 1 (executor)"),
            Map.entry("vmclone.stage.handle", "Time to decide one event, retries included"),
            Map.entry("vmclone.events.produced", "Events written, by type"),
            Map.entry("vmclone.stage.transactions", "Kafka transactions committed"),
            Map.entry("vmclone.stage.aborts", "Kafka transactions aborted (the batch is processed again)"),
            Map.entry("vmclone.stage.skipped", "Records skipped without decoding (a type this stage does not accept)"),
            Map.entry("vmclone.stage.retries", "Attempts repeated after a transient failure"),
            Map.entry("vmclone.stage.dead.lettered", "Records written to the dead-letter topic"),
            Map.entry("vmclone.stage.dead.lettered.digest", "Dead letters too large to carry the original (headers, size, SHA-256)"),
            Map.entry("vmclone.stage.record.errors", "Records whose processing failed in an unforeseen way (a bug; each dead-lettered)"),
            Map.entry("vmclone.stage.outputs.dropped", "Give-up events that could not be made"),
            Map.entry("vmclone.stage.forged", "Events from a source not allowed to emit their type (dead-lettered, ignored)"),
            Map.entry("vmclone.stage.broker.reachable", "1 while the stage's Kafka broker answers, 0 when the last contact failed"),
            Map.entry("vmclone.stage.consecutive.aborts", "Transactions aborted in a row since the last commit"),
            Map.entry("vmclone.stage.assigned.partitions", "Partitions this instance owns"),
            Map.entry("vmclone.bridge.requests.remembered", "External requests the bridge remembers for duplicate detection"),
            Map.entry("vmclone.bridge.requests.forgotten", "Remembered requests forgotten to stay within the bound"),
            Map.entry("vmclone.bridge.http.requests", "HTTP intake answers, by status (Jetty's own refusals of malformed requests included)"),
            Map.entry("vmclone.bridge.http.throttled", "HTTP intake requests refused with 429, by reason (concurrency, rate, clients) "
                    + "and client kind (address, user)"),
            Map.entry("vmclone.bridge.http.tls.reloads", "Reloads of the HTTP intake's certificate and key after the files changed, "
                    + "by outcome (reloaded, failed: the previous pair stays in use)"),
            Map.entry("vmclone.bridge.auth.reviews", "TokenReviews (HTTP intake) and SubjectAccessReviews (HTTP and Kafka intake) the bridge "
                    + "needed, by review and answered_by (api: asked the API server; cache: a positive answer of the last seconds reused)"),
            Map.entry("vmclone.kube.requests", "Kubernetes API calls by RBAC verb, resource and HTTP status"),
            Map.entry("vmclone.status.writes", "Status writes to VirtualMachineClones (status reporter)"),
            Map.entry("vmclone.status.skipped.gone", "Status writes skipped because the clone was deleted"));

    /**
     * Bucket bounds of the latency histograms (their builders use them): from a planner decision (ms) to a large
     * disk copy (hours), a dozen each instead of Micrometer's 69-bucket percentile histogram.
     */
    static final Map<String, Duration[]> BUCKETS = Map.of(
            "vmclone.stage.handle", durations("PT0.005S", "PT0.01S", "PT0.025S", "PT0.05S", "PT0.1S", "PT0.25S", "PT0.5S", "PT1S",
                    "PT2.5S", "PT5S", "PT10S", "PT30S"),
            "vmclone.clone.duration", durations("PT1S", "PT2S", "PT5S", "PT10S", "PT30S", "PT1M", "PT2M", "PT5M", "PT10M", "PT30M",
                    "PT1H", "PT3H"));

    /** Every vmclone metric's name, as registered (dots: {@code vmclone.stage.transactions}). */
    public static Set<String> names() {
        return HELP.keySet();
    }

    /** Applies the catalogue's filters; call before any meter is registered (filters do not reach older meters). */
    public static <R extends MeterRegistry> R configure(R registry, Iterable<String> topics) {
        registry.config().meterFilter(withoutLegacyTopicCopies(topics)).meterFilter(helpText());
        return registry;
    }

    static MeterFilter helpText() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String help = HELP.get(id.getName());
                if (help == null || (id.getDescription() != null && !id.getDescription().isBlank())) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), help, id.getType());
            }
        };
    }

    /** Kafka's consumer records per-topic metrics twice when the name has a dot: keep the real name's. */
    static MeterFilter withoutLegacyTopicCopies(Iterable<String> topics) {
        Set<String> legacy = new HashSet<>();
        topics.forEach(t -> {
            if (t.contains(".")) {
                legacy.add(t.replace('.', '_'));
            }
        });
        return MeterFilter.deny(id -> id.getName().startsWith("kafka.") && legacy.contains(id.getTag("topic")));
    }

    private static Duration[] durations(String... iso) {
        return Arrays.stream(iso).map(Duration::parse).toArray(Duration[]::new);
    }
}
