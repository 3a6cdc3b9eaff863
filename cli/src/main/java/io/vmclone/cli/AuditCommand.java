package io.vmclone.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cloudevents.jackson.JsonFormat;
import io.vmclone.cli.render.AuditSvg;
import io.vmclone.cli.render.AuditTimeline;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.EventLogReader.LoggedEvent;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmclone audit}: a clone's history as the event log tells it, in order. Reads Kafka only, so it
 * works for clones whose VirtualMachineClone is long gone.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show a clone's timeline from the event log (works after the clone object is deleted).",
                "Example: vmclone audit fedora-clone --bootstrap-servers localhost:9092",
                "         vmclone audit --all --since 1h -o json"})
final class AuditCommand implements Callable<Integer> {
    enum Output { table, json, svg }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The clone (in -n NAMESPACE).")
    String name;

    @Option(names = "--all", description = "Every clone in the log, in time order.")
    boolean all;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only events after this: a duration ago (30m, 2h) or a time (2026-11-25T10:00:00Z).")
    String since;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json (the raw CloudEvents, structured mode, as a JSON array) or svg (one clone's timeline).")
    Output output;

    @Mixin
    KafkaOptions kafka;

    /** Only for the namespace of NAME (-n, or the context's): the history is read from the event log, not the cluster. */
    @Mixin
    KubeOptions kube;

    @Override
    public Integer call() throws IOException {
        if (all == (name != null)) {
            throw new UsageException("give a clone NAME or --all (not both)");
        }
        Instant after = since == null ? null : parseSince(since);
        String key = all ? null : kube.namespaceFromConfig() + "/" + name;
        StageSettings settings = kafka.settings("audit");
        KafkaReach.require(settings, settings.topics().events());
        EventLogReader reader = new EventLogReader(settings);
        List<LoggedEvent> raw = key == null ? reader.read(k -> true) : reader.readClone(key);
        // The table shows each event once; -o json exports the log exactly as it is.
        List<LoggedEvent> events = (output == Output.json ? raw : EventLogReader.distinct(raw)).stream()
                .filter(e -> after == null || !AuditTimeline.timeOf(e).isBefore(after))
                .toList();
        PrintWriter out = spec.commandLine().getOut();
        if (events.isEmpty() && key != null) {
            spec.commandLine().getErr().println("error: no events for clone " + key + " in " + settings.topics().events()
                    + (after == null ? "" : " since " + after));
            spec.commandLine().getErr().flush();
            return Vmclone.FAILED;
        }
        if (output == Output.svg) {
            if (key == null || events.isEmpty()) {
                throw UsageException.field("-o svg", "draws one clone's timeline: give a clone NAME with events");
            }
            out.print(AuditSvg.render("clone " + key, events));
        } else if (output == Output.json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(cloudEvents(events)));
        } else if (events.isEmpty()) {
            out.println("No events in " + settings.topics().events() + (after == null ? "" : " since " + after) + ".");
        } else {
            out.print(AuditTimeline.render(events, key == null));
        }
        out.flush();
        return Vmclone.OK;
    }

    static ArrayNode cloudEvents(List<LoggedEvent> events) throws IOException {
        EventCodec codec = new EventCodec();
        JsonFormat format = new JsonFormat();
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (LoggedEvent e : events) {
            array.add(Json.MAPPER.readTree(format.serialize(codec.toCloudEvent(e.event()))));
        }
        return array;
    }


    static Instant parseSince(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notATime) {
            try {
                return Instant.now().minus(DurationConverter.parse(value));
            } catch (CommandLine.TypeConversionException e) {
                throw UsageException.field("--since", "'" + value + "' is neither a duration (30m, 2h) nor a time (2026-11-25T10:00:00Z)");
            }
        }
    }
}
