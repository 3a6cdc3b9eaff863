package io.vmclone.executor;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.StorageSimulator;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One executor driven through the real stage runtime: a unique event topic on the shared broker, the
 * fabric8 CRUD mock as the cluster, {@code planned}/{@code cancel-requested} published like the planner
 * and bridge do, outputs read back from the log. The executor's client records its API calls.
 */
final class ExecutorHarness implements AutoCloseable {
    static final String NS = "apps";
    static final Duration BOUND = Duration.ofSeconds(60);

    final MockCluster cluster = MockCluster.start();
    final KubernetesClient kube = cluster.client();
    final ApiCallLog calls = new ApiCallLog();
    final Map<String, String> env;
    private final List<StageService> services = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = new EventCodec();

    ExecutorHarness(KafkaBroker broker, Map<String, String> extraEnv) {
        // One partition: events of different clones are ordered, so "nothing happened" is observable.
        Map<String, String> e = StageSettings.isolatedEnv(broker.bootstrapServers(), "exec", 1);
        // A stable instance id, as a restarted pod would have: the new producer fences the old one.
        e.put(StageSettings.ENV_INSTANCE_ID, "executor-" + e.get(StageSettings.ENV_GROUP_PREFIX));
        e.put(StageSettings.ENV_MAX_BACKOFF, "200");
        e.putAll(extraEnv);
        env = Map.copyOf(e);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("acks", "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    StageService startExecutor() {
        return startExecutor(ExecutorHandler::new, null);
    }

    /**
     * Starts an executor with its own client (fabric8's built-in retries off, so the executor's own retry
     * is what recovers from injected errors) and waits until it consumes.
     */
    StageService startExecutor(Function<StageContext, StageHandler> factory, Interceptor extra) {
        return startExecutor(factory, extra, Duration.ofSeconds(10));
    }

    /** An executor whose client gives up on an answer after {@code requestTimeout}. */
    StageService startExecutor(Duration requestTimeout) {
        return startExecutor(ExecutorHandler::new, null, requestTimeout);
    }

    private StageService startExecutor(Function<StageContext, StageHandler> factory, Interceptor extra, Duration requestTimeout) {
        KubernetesClient client = cluster.server().createClient(b -> b
                .editOrNewConfig().withRequestRetryBackoffLimit(0).withRequestTimeout((int) requestTimeout.toMillis()).endConfig()
                .withHttpClientBuilderConsumer(h -> {
                    h.addOrReplaceInterceptor("call-log", calls);
                    if (extra != null) {
                        h.addOrReplaceInterceptor("extra", extra);
                    }
                }));
        clients.add(client);
        StageService service = StageService.start(StageSettings.from(ExecutorHandler.STAGE, env), client, factory, -1);
        services.add(service);
        await().atMost(BOUND).until(() -> service.loop().ready() || !service.loop().running());
        return service;
    }

    void publish(CloneEvent event) throws Exception {
        producer.send(codec.toRecord(env.get("VMCLONE_TOPIC_EVENTS"), event)).get();
    }

    void publishPlan(Planned plan) throws Exception {
        publish(CloneEvent.of("planner", EventType.PLANNED, plan, OffsetDateTime.now(), null));
    }

    void publishCancel(CloneRef clone) throws Exception {
        publish(CloneEvent.of("bridge", EventType.CANCEL_REQUESTED, new CancelRequested(clone), OffsetDateTime.now(), null));
    }

    List<CloneEvent> events(CloneRef clone) {
        return new EventLogReader(StageSettings.from("test", env)).readClone(clone.key()).stream()
                .map(EventLogReader.LoggedEvent::event).toList();
    }

    List<CloneEvent> events(CloneRef clone, EventType type) {
        return events(clone).stream().filter(e -> e.type() == type).toList();
    }

    /** Waits for the clone's first event of {@code type}. */
    <T> T awaitEvent(CloneRef clone, EventType type, Class<T> data) {
        List<CloneEvent> found = await().atMost(BOUND).until(() -> events(clone, type), l -> !l.isEmpty());
        return found.get(0).data(data);
    }

    GenericKubernetesResource vm(String name) {
        return kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(NS).withName(name).get();
    }

    GenericKubernetesResource dataVolume(String name) {
        return kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(NS).withName(name).get();
    }

    List<GenericKubernetesResource> vms() {
        return kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(NS).list().getItems();
    }

    List<GenericKubernetesResource> dataVolumes() {
        return kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(NS).list().getItems();
    }

    /** Plays CDI for one DataVolume: writes its status phase and progress (and a condition message). */
    void cdi(String dataVolume, String phase, String progress) {
        StorageSimulator.setPhase(kube, NS, dataVolume, phase, progress);
    }

    void cdi(String dataVolume, String phase, String progress, String message) {
        StorageSimulator.setStatus(kube, NS, dataVolume, phase, progress, message);
    }

    /**
     * Every DataVolume of {@code plan} through CloneScheduled, then a host-assisted CloneInProgress (the only
     * strategy CDI reports percentages for) rising in steps of
     * {@code step} percent (interleaved, as parallel copies are), to Succeeded 100.0%. Returns the number of
     * status writes CDI made.
     */
    int copyAll(Planned plan, int step) {
        List<String> names = FollowedClone.of(plan).dataVolumeNames();
        await().atMost(BOUND).until(() -> names.stream().allMatch(n -> dataVolume(n) != null));
        int writes = 0;
        for (String n : names) {
            cdi(n, "CloneScheduled", "N/A");
            writes++;
        }
        for (int pct = step; pct < 100; pct += step) {
            for (String n : names) {
                cdi(n, "CloneInProgress", StorageSimulator.percent(pct));
                writes++;
            }
        }
        for (String n : names) {
            cdi(n, "Succeeded", "100.0%");
            writes++;
        }
        return writes;
    }

    int copyAll(Planned plan) {
        return copyAll(plan, 25);
    }

    static CloneRef newClone(String name) {
        return new CloneRef(NS, name, UUID.randomUUID().toString());
    }

    /** A plan like the planner's: a halted VM whose disks are one new DataVolume per source volume. */
    static Planned plan(CloneRef clone, String target, String... volumes) {
        ObjectNode vm = Json.MAPPER.createObjectNode();
        vm.put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine");
        ObjectNode meta = vm.putObject("metadata").put("name", target).put("namespace", NS);
        meta.putObject("labels").put(CloneLabels.CLONE_UID, clone.uid()).put(CloneLabels.CLONE_NAME, clone.name()).put("app", "web");
        meta.putObject("annotations").put(CloneLabels.CREATED_BY, clone.key());
        ObjectNode spec = vm.putObject("spec").put("runStrategy", "Halted");
        ObjectNode vmi = spec.putObject("template").putObject("spec");
        vmi.putObject("domain").putObject("resources").putObject("requests").put("memory", "1Gi");
        ArrayNode vols = vmi.putArray("volumes");
        List<ObjectNode> dvs = new ArrayList<>();
        for (String volume : volumes) {
            String dvName = target + "-" + volume;
            vols.addObject().put("name", volume).putObject("dataVolume").put("name", dvName);
            ObjectNode dv = Json.MAPPER.createObjectNode();
            dv.put("apiVersion", "cdi.kubevirt.io/v1beta1").put("kind", "DataVolume");
            ObjectNode dvMeta = dv.putObject("metadata").put("name", dvName).put("namespace", NS);
            dvMeta.putObject("labels").put(CloneLabels.CLONE_UID, clone.uid()).put(CloneLabels.CLONE_NAME, clone.name());
            ObjectNode dvSpec = dv.putObject("spec");
            dvSpec.putObject("source").putObject("pvc").put("namespace", NS).put("name", "source-" + volume);
            dvSpec.putObject("storage").putObject("resources").putObject("requests").put("storage", "10Gi");
            dvs.add(dv);
        }
        return new Planned(clone, target, vm, dvs, List.of("test plan"));
    }

    /** Stops an executor the way a deploy would (finishing its transaction). */
    void stop(StageService service) {
        service.close();
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        clients.forEach(KubernetesClient::close);
        producer.close();
        cluster.close();
    }
}
