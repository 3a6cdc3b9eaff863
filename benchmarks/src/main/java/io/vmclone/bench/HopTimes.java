package io.vmclone.bench;

import io.vmclone.runtime.EventLogReader;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a clone's latency goes, hop by hop, from the event log: each event's {@code time} is set by the
 * stage that decided it (all in this JVM, one clock), the driver notes when it created the clone and when
 * its informer saw the terminal status.
 */
final class HopTimes {
    private static final List<String> HOPS = List.of(
            "CR created -> requested (bridge: watch + produce)",
            "requested -> planned (planner: consume + source reads + plan)",
            "planned -> succeeded (executor: creates + DataVolume copy + follow)",
            "succeeded -> status seen (status reporter: consume + status write + watch)");

    private HopTimes() {
    }

    /** p50 / p99 per hop, for the clones of {@code namespace} that have all four points. */
    static List<String> lines(EventLogReader log, String namespace, Map<String, Long> createdMillis, Map<String, Long> finishedMillis) {
        Map<String, Map<EventType, Long>> firstTimes = new HashMap<>();
        for (EventLogReader.LoggedEvent logged : EventLogReader.distinct(log.read(k -> k.startsWith(namespace + "/")))) {
            CloneEvent e = logged.event();
            if (e.time() == null) {
                continue; // `time` is optional in CloudEvents: such an event marks no hop
            }
            firstTimes.computeIfAbsent(e.cloneRef().name(), k -> new HashMap<>())
                    .putIfAbsent(e.type(), e.time().toInstant().toEpochMilli());
        }
        Map<String, List<Long>> hops = new LinkedHashMap<>();
        HOPS.forEach(h -> hops.put(h, new ArrayList<>()));
        firstTimes.forEach((clone, at) -> {
            Long created = createdMillis.get(clone);
            Long seen = finishedMillis.get(clone);
            Long requested = at.get(EventType.REQUESTED);
            Long planned = at.get(EventType.PLANNED);
            Long succeeded = at.get(EventType.SUCCEEDED);
            if (created == null || seen == null || requested == null || planned == null || succeeded == null) {
                return;
            }
            long[] points = {created, requested, planned, succeeded, seen};
            for (int i = 0; i < HOPS.size(); i++) {
                hops.get(HOPS.get(i)).add(Math.max(0, points[i + 1] - points[i]));
            }
        });
        List<String> out = new ArrayList<>();
        hops.forEach((hop, millis) -> {
            long[] nanos = millis.stream().mapToLong(m -> m * 1_000_000).toArray();
            Latencies l = Latencies.of(nanos, 1);
            out.add(String.format(Locale.ROOT, "%-72s p50 %7.1f ms  p99 %7.1f ms  (%d clones)", hop, l.p50Millis(),
                    l.p99Millis(), l.count()));
        });
        return out;
    }
}
