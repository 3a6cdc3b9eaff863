package io.vmclone.cli;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.vmclone.bridge.intake.RequestKeys;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.events.CloneRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmclone request}: what an external system does to ask for a clone — one CloudEvent of type
 * {@code io.vmclone.clone.request}, to the Kafka intake topic (binary mode, or {@code --structured}) or
 * to the bridge's HTTP endpoint ({@code --http}, with a bearer {@code --token}).
 */
@Command(name = "request", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send a clone request as a CloudEvent, as an external system would.",
                "Kafka: vmclone request fedora --target fedora-2 -n default --bootstrap-servers localhost:9092 [--structured]",
                "HTTP:  vmclone request fedora --target fedora-2 --http http://bridge:8080/api/v1/requests --token $TOKEN",
                "--dry-run prints the CloudEvent (structured JSON) without sending it."})
public final class RequestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The source VM (or snapshot, with --source-type snapshot).")
    String source;

    @Option(names = "--target", paramLabel = "NAME", description = "Name of the new VM (default: generated).")
    String target;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default", description = "Namespace. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the clone (default: the bridge derives one from the event's source and id).")
    String name;

    /** The CloudEvent source of requests sent without {@code --event-source} (the sandbox's bridge trusts it). */
    public static final String DEFAULT_EVENT_SOURCE = "/external/vmclone-cli";

    @Option(names = "--event-source", paramLabel = "URI", defaultValue = DEFAULT_EVENT_SOURCE,
            description = "CloudEvent source: who you are. Default: ${DEFAULT-VALUE}.")
    URI eventSource;

    @Option(names = "--id", paramLabel = "ID", description = "CloudEvent id (default: a random UUID). Resending the same source+id makes no second clone.")
    String id;

    @Option(names = "--requester", paramLabel = "USER", description = "The user this request acts for (the 'requester' extension; checked with SubjectAccessReview).")
    String requester;

    @Option(names = "--structured", description = "Kafka: structured mode (the whole CloudEvent as JSON in the value) instead of binary.")
    boolean structured;

    @Option(names = "--http", paramLabel = "URL", description = "Send over HTTP (CloudEvents HTTP binding, structured) to this URL instead of Kafka.")
    URI http;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token for --http (default: $VMCLONE_TOKEN).")
    String token;

    @Option(names = "--dry-run", description = "Print the CloudEvent instead of sending it.")
    boolean dryRun;

    @Mixin
    SpecFlags flags;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        CloneSpec cloneSpec = flags.toSpec(source, target);
        CloneEvent event = new CloneEvent(id == null ? UUID.randomUUID().toString() : id, eventSource, EventType.REQUEST,
                OffsetDateTime.now(ZoneOffset.UTC), new CloneRequest(namespace, name, cloneSpec), requester);
        EventCodec codec = new EventCodec();
        CloudEvent ce = codec.toCloudEvent(event);
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            out.println(new String(new JsonFormat().serialize(ce), StandardCharsets.UTF_8));
            out.flush();
            return Vmclone.OK;
        }
        return http != null ? sendHttp(ce, out) : sendKafka(codec, event, out);
    }

    private int sendKafka(EventCodec codec, CloneEvent event, PrintWriter out) throws Exception {
        StageSettings settings = kafka.settings("request");
        Properties p = settings.kafkaCommon();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.block.ms", "15000");
        String topic = settings.topics().intake();
        KafkaReach.require(settings, topic);
        ProducerRecord<String, byte[]> record = structured ? codec.toStructuredRecord(topic, event) : codec.toRecord(topic, event);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            RecordMetadata meta = producer.send(record).get(30, TimeUnit.SECONDS);
            out.println("sent " + EventType.REQUEST.type() + " id=" + event.id() + " source=" + event.source()
                    + " (" + (structured ? "structured" : "binary") + ") to " + topic + "-" + meta.partition() + "@" + meta.offset());
            String clone = cloneName(event);
            out.println("clone " + namespace + "/" + clone + " (unless refused): follow it with vmclone status " + clone + " -n "
                    + namespace + "   or   vmclone audit " + clone + " -n " + namespace);
            out.flush();
            return Vmclone.OK;
        }
    }

    /** The clone the bridge will make of this request: the one named, or the one it derives from source + id. */
    private String cloneName(CloneEvent event) {
        return name != null && !name.isBlank() ? name : RequestKeys.cloneName(event.source().toString(), event.id());
    }

    private int sendHttp(CloudEvent ce, PrintWriter out) throws IOException, InterruptedException {
        String bearer = token != null ? token : System.getenv("VMCLONE_TOKEN");
        HttpRequest.Builder request = HttpRequest.newBuilder(http)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", JsonFormat.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new JsonFormat().serialize(ce)));
        if (bearer != null && !bearer.isBlank()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String location = response.headers().firstValue("Location").map(l -> " Location: " + l).orElse("");
        if (response.statusCode() / 100 == 2) {
            out.println("HTTP " + response.statusCode() + location + (response.body().isBlank() ? "" : "\n" + response.body()));
            out.flush();
            return Vmclone.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: HTTP " + response.statusCode() + (response.body().isBlank() ? "" : ": " + response.body()));
        err.flush();
        return Vmclone.FAILED;
    }

    /** The extension carrying the requester, for docs and tests. */
    static String requesterExtension() {
        return Headers.REQUESTER_EXTENSION;
    }
}
