package io.vmclone.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.VolumeProgress;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.MockCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The status reporter run by the real stage runtime against a real broker and the in-memory API: events
 * go onto a topic of this class's own, and the test reads the VirtualMachineClone as kubectl would.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusReporterServiceTest {
    private static final String NS = "default";
    private static final Duration BOUND = Duration.ofSeconds(60);

    private MockCluster cluster;
    private KubernetesClient kube;
    private ResourceDefinitionContext clones;
    private Map<String, String> env;
    private String run;
    private StageService service;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;
    private final EventCodec codec = new EventCodec();
    /** Every request the API server saw so far (the mock's log is drained into here). */
    private final List<RecordedRequest> requests = new ArrayList<>();

    @BeforeAll
    void start(KafkaBroker broker) {
        cluster = MockCluster.start();
        kube = cluster.client();
        clones = KubeResources.clones(cluster.cloneGroup());
        run = UUID.randomUUID().toString().substring(0, 8);
        env = Map.of(
                StageSettings.ENV_BOOTSTRAP, broker.bootstrapServers(),
                StageSettings.ENV_GROUP_PREFIX, "status-" + run,
                "VMCLONE_TOPIC_EVENTS", "status-events-" + run,
                "VMCLONE_TOPIC_INTAKE", "status-intake-" + run,
                "VMCLONE_TOPIC_DLQ", "status-dlq-" + run,
                "VMCLONE_TOPIC_PARTITIONS", "3");
        service = startReporter(env);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties a = new Properties();
        a.put("bootstrap.servers", broker.bootstrapServers());
        admin = Admin.create(a);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (admin != null) {
            admin.close();
        }
        cluster.close();
    }

    @Test
    void happyPathSetsEveryFieldAndKubectlWaitSeesReady() throws Exception {
        GenericKubernetesResource cr = createClone("happy", Map.of());
        CloneEvents e = events(cr, "fedora", "fedora-copy");

        send(e.requested(0), e.planned(1, "root", "data"));
        await().atMost(BOUND).until(() -> phase("happy"), p -> "Planned".equals(p));
        assertThat(kubectlWaitReady("happy")).isEqualTo("False");
        send(e.progressed(2, 0, "root", "data"));
        await().atMost(BOUND).until(() -> phase("happy"), p -> "CloningVolumes".equals(p));
        assertThat(kubectlWaitReady("happy")).isEqualTo("False");
        CloneEvent succeeded = e.succeeded(9, "root", "data");
        send(succeeded);

        await().atMost(BOUND).until(() -> kubectlWaitReady("happy"), "True"::equals);
        Map<String, Object> status = rawStatus("happy");
        assertThat(status).containsEntry("phase", "Succeeded")
                .containsEntry("targetName", "fedora-copy")
                .containsEntry("progress", "100.0%")
                .containsEntry("startTime", "2026-11-25T10:00:00Z")
                .containsEntry("completionTime", "2026-11-25T10:09:00Z")
                .containsEntry("lastEventId", succeeded.id())
                .containsKey("lastEventOffset")
                .containsKey("observedGeneration");
        assertThat(((Number) status.get("lastEventOffset")).longValue()).isEqualTo(endOffset(cr) - 1);
        assertThat(list(status.get("volumes"))).containsExactly((Object) 
                Map.of("name", "root", "dataVolume", "fedora-copy-root", "phase", "Succeeded", "progress", "100.0%"),
                Map.of("name", "data", "dataVolume", "fedora-copy-data", "phase", "Succeeded", "progress", "100.0%"));
        Map<String, Object> ready = condition(status, "Ready");
        Map<String, Object> progressing = condition(status, "Progressing");
        assertThat(ready).containsEntry("status", "True").containsEntry("reason", "Ready")
                .containsEntry("lastTransitionTime", "2026-11-25T10:09:00Z").containsKey("message").containsKey("observedGeneration");
        assertThat(progressing).containsEntry("status", "False").containsEntry("reason", "Ready");
        assertThat(ready.get("observedGeneration")).isEqualTo(status.get("observedGeneration"));

        // One write per step at most: requested (+planned if they came in one batch), planned, cloning, succeeded.
        assertThat(statusWrites("happy")).hasSizeBetween(3, 4);
        // A core/v1 Event per transition, like KubeVirt's.
        await().atMost(BOUND).until(() -> eventReasons("happy").size() == 4);
        assertThat(eventReasons("happy")).containsExactlyInAnyOrder(StatusProjection.EVENT_REQUESTED,
                StatusProjection.EVENT_PLANNED, StatusProjection.EVENT_CLONING_VOLUMES, StatusProjection.EVENT_SUCCEEDED);
    }

    @Test
    void replayingTheWholeLogLeavesStatusAndEventsUnchanged() throws Exception {
        GenericKubernetesResource done = createClone("replayed-done", Map.of());
        GenericKubernetesResource midway = createClone("replayed-midway", Map.of());
        CloneEvents d = events(done, "cirros", "cirros-copy");
        CloneEvents m = events(midway, "cirros", "cirros-copy-2");
        send(d.requested(0), d.planned(1, "root"), d.progressed(2, 0, "root"), d.progressed(3, 50, "root"), d.succeeded(4, "root"));
        // Still cloning: only the log position tells a replayed 0% from news.
        send(m.requested(0), m.planned(1, "root"), m.progressed(2, 0, "root"), m.progressed(3, 50, "root"));
        await().atMost(BOUND).until(() -> phase("replayed-done"), "Succeeded"::equals);
        await().atMost(BOUND).until(() -> (String) rawStatus("replayed-midway").get("progress"), "50.00%"::equals);
        awaitConsumed(groupOf(env));
        // Events are posted in the background: wait for all of them (requested, planned, cloning [, succeeded]).
        await().atMost(BOUND).until(() -> eventReasons("replayed-done").size() == 4 && eventReasons("replayed-midway").size() == 3);
        Map<String, Map<String, Object>> before = Map.of("replayed-done", rawStatus("replayed-done"),
                "replayed-midway", rawStatus("replayed-midway"));
        Map<String, Integer> writesBefore = Map.of("replayed-done", statusWrites("replayed-done").size(),
                "replayed-midway", statusWrites("replayed-midway").size());
        Map<String, Integer> eventsBefore = Map.of("replayed-done", eventReasons("replayed-done").size(),
                "replayed-midway", eventReasons("replayed-midway").size());

        // A second reporter in a new consumer group reads the whole log from the beginning.
        Map<String, String> replayEnv = new HashMap<>(env);
        replayEnv.put(StageSettings.ENV_GROUP_PREFIX, "replay-" + run);
        try (StageService replay = startReporter(replayEnv)) {
            awaitConsumed(groupOf(replayEnv));
        }

        for (String name : before.keySet()) {
            assertThat(rawStatus(name)).as(name).isEqualTo(before.get(name));
            assertThat(statusWrites(name)).as("status writes of %s", name).hasSize(writesBefore.get(name));
            assertThat(eventReasons(name)).as("Kubernetes Events of %s", name).hasSize(eventsBefore.get(name));
        }
    }

    @Test
    void shuffledAndLateEventsNeverMoveThePhaseBack() {
        Map<String, List<String>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        List<io.fabric8.kubernetes.client.Watch> watches = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            String name = "shuffled-" + seed;
            GenericKubernetesResource cr = createClone(name, Map.of());
            // Every phase the API server stores, in order, as `kubectl get -w` would show them.
            List<String> phases = new java.util.concurrent.CopyOnWriteArrayList<>();
            seen.put(name, phases);
            watches.add(kube.genericKubernetesResources(clones).inNamespace(NS).withName(name).watch(new io.fabric8.kubernetes.client.Watcher<>() {
                @Override
                public void eventReceived(Action action, GenericKubernetesResource resource) {
                    var status = VirtualMachineClones.status(resource);
                    if (status != null && status.phase() != null) {
                        phases.add(status.phase());
                    }
                }

                @Override
                public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
            }));
            CloneEvents e = events(cr, "fedora", name + "-copy");
            List<CloneEvent> history = new ArrayList<>(List.of(e.requested(0), e.planned(1, "root"), e.creatingTarget(2),
                    e.progressed(3, 10, "root"), e.progressed(4, 60, "root"), e.succeeded(5, "root")));
            Collections.shuffle(history, new Random(seed));
            // …and stragglers after the end: a late progress, a duplicate plan, a stray failure.
            history.addAll(List.of(e.progressed(6, 30, "root"), e.planned(1, "root"), e.failed(7, Reasons.STALLED, "late")));
            send(history.toArray(CloneEvent[]::new));
        }
        awaitConsumed(groupOf(env));

        try {
            for (int seed = 1; seed <= 3; seed++) {
                String name = "shuffled-" + seed;
                await().atMost(BOUND).until(() -> phase(name), "Succeeded"::equals);
                assertThat(rawStatus(name)).containsEntry("progress", "100.0%");
                await().atMost(BOUND).until(() -> seen.get(name).contains("Succeeded"));
                List<Integer> ranks = seen.get(name).stream().map(p -> ClonePhase.parse(p).orElseThrow().rank()).toList();
                assertThat(ranks).as("phases stored for %s: %s", name, seen.get(name)).isSorted();
                assertThat(seen.get(name)).last().isEqualTo("Succeeded");
            }
        } finally {
            watches.forEach(io.fabric8.kubernetes.client.Watch::close);
        }
    }

    @Test
    void aBurstOfProgressMakesOnlyAFewWrites() {
        GenericKubernetesResource cr = createClone("burst", Map.of());
        CloneEvents e = events(cr, "database", "database-copy");
        send(e.requested(0), e.planned(1, "root"));
        List<CloneEvent> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            burst.add(e.progressed(2, i * 0.5, "root"));
        }
        send(burst.toArray(CloneEvent[]::new));

        // The last progress shows up (written by the coalescing timer at the latest)…
        await().atMost(BOUND).until(() -> (String) rawStatus("burst").get("progress"), "99.50%"::equals);
        assertThat(rawStatus("burst")).containsEntry("phase", "CloningVolumes");
        // …after a handful of writes, not 202.
        assertThat(statusWrites("burst")).hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void aConflictOnTheStatusWriteIsReadAgainAndApplied() {
        GenericKubernetesResource cr = createClone("conflicted", Map.of());
        CloneEvents e = events(cr, "fedora", "conflicted-copy");
        cluster.server().expect().put().withPath(statusPath("conflicted"))
                .andReturn(409, Map.of("apiVersion", "v1", "kind", "Status", "status", "Failure", "reason", "Conflict", "code", 409,
                        "message", "the object has been modified; please apply your changes to the latest version"))
                .once();

        send(e.requested(0));

        double rollbacks = rollbacks();

        await().atMost(BOUND).until(() -> phase("conflicted"), "Pending"::equals);
        assertThat(rollbacks()).as("recovered by re-reading, not by rolling the batch back").isEqualTo(rollbacks);
        assertThat(statusWrites("conflicted")).as("the refused write and its successful retry").hasSize(2);
        assertThat(service.loop().running()).isTrue();
    }

    @Test
    void aFailingApiServerRollsTheBatchBackAndRetries() {
        // A reporter of its own whose client does not retry by itself (fabric8 retries 5xx/429 ten times by default):
        // when the API keeps failing, the stage must not commit the offsets of events it could not write.
        Map<String, String> own = new HashMap<>(env);
        own.put(StageSettings.ENV_GROUP_PREFIX, "flaky-" + run);
        own.put("VMCLONE_TOPIC_EVENTS", "status-flaky-events-" + run);
        KubernetesClient noRetries = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(cluster.newClient().getConfiguration())
                        .withRequestRetryBackoffLimit(0).build()).build();
        GenericKubernetesResource cr = createClone("flaky", Map.of());
        CloneEvents e = events(cr, "fedora", "flaky-copy");
        cluster.server().expect().put().withPath(statusPath("flaky"))
                .andReturn(503, Map.of("apiVersion", "v1", "kind", "Status", "status", "Failure", "code", 503, "message", "etcd down"))
                .times(2);

        try (StageService flaky = StageService.start(StageSettings.from("status-reporter", own), noRetries, StatusReporterHandler::new, -1)) {
            await().atMost(BOUND).until(flaky.loop()::ready);
            send(own.get("VMCLONE_TOPIC_EVENTS"), e.requested(0), e.planned(1, "root"));

            await().atMost(BOUND).until(() -> phase("flaky"), "Planned"::equals);
            assertThat(rawStatus("flaky")).containsEntry("targetName", "flaky-copy");
            var aborts = flaky.registry().find("vmclone.stage.aborts").counter();
            assertThat(aborts.count()).as("the batch was rolled back, not committed unwritten").isGreaterThanOrEqualTo(1);
            assertThat(statusWrites("flaky")).as("two refused writes, then the written one(s)").hasSizeGreaterThanOrEqualTo(3);
        } finally {
            noRetries.close();
        }
    }

    /**
     * The reporter writes from the clone as it last wrote it (no GET), so a write by anyone else in between
     * must not be overwritten: the stale resourceVersion gets a 409, the reporter reads and folds again.
     * Here a second reporter has already moved the clone to Succeeded; a late progress event must not move
     * it back to CloningVolumes.
     */
    @Test
    void aStatusSomeoneElseWroteSinceOurLastWriteIsReadAgainNotOverwritten() {
        GenericKubernetesResource cr = createClone("rival", Map.of());
        CloneEvents e = events(cr, "fedora", "rival-copy");
        send(e.requested(0), e.planned(1, "root"), e.progressed(2, 10, "root"));
        await().atMost(BOUND).until(() -> (String) rawStatus("rival").get("progress"), "10.00%"::equals);
        awaitConsumed(groupOf(env));

        GenericKubernetesResource current = get("rival");
        @SuppressWarnings("unchecked")
        Map<String, Object> status = new HashMap<>((Map<String, Object>) current.getAdditionalProperties().get("status"));
        status.put("phase", "Succeeded");
        status.put("progress", "100.0%");
        current.getAdditionalProperties().put("status", status);
        kube.genericKubernetesResources(clones).inNamespace(NS).resource(current).updateStatus();

        send(e.progressed(3, 20, "root"));
        awaitConsumed(groupOf(env));
        // Progress may wait for the coalescing timer (1 s here): the phase must hold well past it.
        await().during(Duration.ofSeconds(3)).atMost(BOUND).until(() -> phase("rival"), "Succeeded"::equals);

        assertThat(phase("rival")).as("a late progress event never moves a finished clone back").isEqualTo("Succeeded");
        assertThat(rawStatus("rival")).containsEntry("progress", "100.0%");
        assertThat(service.loop().running()).isTrue();
    }

    @Test
    void aDeletedOrReplacedCloneIsSkipped() {
        GenericKubernetesResource old = createClone("recreated", Map.of());
        CloneEvents oldEvents = events(old, "fedora", "recreated-copy");
        send(oldEvents.requested(0));
        await().atMost(BOUND).until(() -> phase("recreated"), "Pending"::equals);

        kube.genericKubernetesResources(clones).inNamespace(NS).withName("recreated").delete();
        await().atMost(BOUND).until(() -> kube.genericKubernetesResources(clones).inNamespace(NS).withName("recreated").get() == null);
        send(oldEvents.planned(1, "root")); // the CR is gone: nothing to write
        awaitConsumed(groupOf(env));

        GenericKubernetesResource replacement = createClone("recreated", Map.of());
        assertThat(replacement.getMetadata().getUid()).isNotEqualTo(old.getMetadata().getUid());
        send(oldEvents.succeeded(2, "root")); // about the old object: must not touch the new one
        awaitConsumed(groupOf(env));
        assertThat(get("recreated").getAdditionalProperties().get("status")).as("the new object's status").isNull();

        CloneEvents fresh = events(replacement, "fedora", "recreated-copy");
        send(fresh.requested(3));
        await().atMost(BOUND).until(() -> phase("recreated"), "Pending"::equals);
        assertThat(rawStatus("recreated")).containsEntry("lastEventId", fresh.requested(3).id());
        assertThat(service.loop().running()).isTrue();
    }

    @Test
    void rejectionsFromBridgeAndPlannerShowAsFailedWithTheirReason() {
        GenericKubernetesResource invalid = createClone("invalid", Map.of());
        GenericKubernetesResource ghost = createClone("ghost", Map.of());
        CloneEvents bad = events(invalid, "fedora", "Not_A_Name");
        CloneEvents missing = events(ghost, "no-such-vm", "ghost-copy");

        send(bad.rejectedByBridge(0, "spec.target.name", "must be a DNS-1123 label"));
        send(missing.requested(0), missing.rejectedByPlanner(1, Reasons.SOURCE_NOT_FOUND, "spec.source.name",
                "VirtualMachine default/no-such-vm not found"));

        await().atMost(BOUND).until(() -> phase("invalid"), "Failed"::equals);
        await().atMost(BOUND).until(() -> phase("ghost"), "Failed"::equals);
        assertThat(condition(rawStatus("invalid"), "Ready")).containsEntry("status", "False")
                .containsEntry("reason", Reasons.INVALID_SPEC)
                .containsEntry("message", "spec.target.name: must be a DNS-1123 label");
        assertThat(condition(rawStatus("ghost"), "Ready")).containsEntry("status", "False")
                .containsEntry("reason", Reasons.SOURCE_NOT_FOUND)
                .containsEntry("message", "spec.source.name: VirtualMachine default/no-such-vm not found");
        assertThat(condition(rawStatus("ghost"), "Progressing")).containsEntry("status", "False").containsEntry("reason", "Failed");
        await().atMost(BOUND).until(() -> eventReasons("ghost").contains(Reasons.SOURCE_NOT_FOUND));
        assertThat(events("ghost")).filteredOn(ev -> Reasons.SOURCE_NOT_FOUND.equals(ev.getReason()))
                .singleElement().extracting(Event::getType).isEqualTo("Warning");
    }

    @Test
    void aSourceInUseIsSaidInTheStatusAndOnceAsAWarningEvent() {
        GenericKubernetesResource cr = createClone("held", Map.of());
        CloneEvents e = events(cr, "fedora", "held-copy");
        String inUse = "pod default/backup using PersistentVolumeClaim fedora-root";
        VolumeProgress waiting = new VolumeProgress("root", "held-copy-root", "CloneScheduled", "N/A", "snapshot", null,
                "CloneSourceInUse", inUse);

        send(e.requested(0), e.planned(1, "root"), e.progressedVolumes(2, "N/A", waiting));
        await().atMost(BOUND).until(() -> condition(rawStatus("held"), "Progressing").get("reason"), "CloneSourceInUse"::equals);
        assertThat(condition(rawStatus("held"), "Progressing")).containsEntry("status", "True")
                .containsEntry("message", "CDI waits to clone volume root (DataVolume held-copy-root): " + inUse);
        assertThat(list(rawStatus("held").get("volumes"))).singleElement().isEqualTo(Map.of("name", "root", "dataVolume", "held-copy-root",
                "phase", "CloneScheduled", "progress", "N/A", "strategy", "snapshot", "reason", "CloneSourceInUse", "message", inUse));
        send(e.progressedVolumes(3, "N/A", waiting), e.succeeded(4, "root"));

        await().atMost(BOUND).until(() -> kubectlWaitReady("held"), "True"::equals);
        await().atMost(BOUND).until(() -> eventReasons("held").contains(StatusProjection.EVENT_SUCCEEDED));
        assertThat(events("held")).filteredOn(ev -> "CloneSourceInUse".equals(ev.getReason())).singleElement().satisfies(ev -> {
            assertThat(ev.getType()).isEqualTo("Warning");
            assertThat(ev.getMessage()).contains(inUse);
        });
    }

    @Test
    void aCloneRequestedByAnExternalSystemGetsTheSameStatus() {
        GenericKubernetesResource cr = createClone("external", Map.of(
                CloneLabels.REQUEST_SOURCE, "/ci/pipeline-7", CloneLabels.REQUEST_ID, "req-42", CloneLabels.REQUESTER, "alice"));
        CloneEvents e = events(cr, "fedora", "external-copy");
        CloneEvent requested = CloneEvent.of("bridge", EventType.REQUESTED, new Requested(e.clone, 1L, CloneSpec.of("fedora", "external-copy"),
                new Requester("alice", List.of("devs"), "allowed", "SubjectAccessReview"),
                new Origin(Origin.INTAKE, "/ci/pipeline-7", "req-42")), CloneEvents.at(0), null);

        send(requested, e.planned(1, "root"), e.progressed(2, 0, "root"), e.succeeded(3, "root"));

        await().atMost(BOUND).until(() -> kubectlWaitReady("external"), "True"::equals);
        assertThat(rawStatus("external")).containsEntry("phase", "Succeeded").containsEntry("targetName", "external-copy");
    }

    @Test
    void progressTricklingInIsWrittenAtMostAboutOncePerInterval() {
        GenericKubernetesResource cr = createClone("trickle", Map.of());
        CloneEvents e = events(cr, "database", "trickle-copy");
        send(e.requested(0), e.planned(1, "root"), e.progressed(2, 0, "root"));
        await().atMost(BOUND).until(() -> phase("trickle"), "CloningVolumes"::equals);
        int before = statusWrites("trickle").size();

        // Each progress event is consumed on its own before the next is sent: no batch to merge them in.
        for (int i = 1; i <= 15; i++) {
            send(e.progressed(3, i * 5, "root"));
            awaitConsumed(groupOf(env));
        }

        await().atMost(BOUND).until(() -> (String) rawStatus("trickle").get("progress"), "75.00%"::equals);
        assertThat(statusWrites("trickle").size() - before).as("writes for 15 progress events").isBetween(1, 6);
    }

    // ---- helpers ----

    private double rollbacks() {
        var counter = service.registry().find("vmclone.stage.aborts").counter();
        return counter == null ? 0 : counter.count();
    }

    private StageService startReporter(Map<String, String> environment) {
        StageService s = StageService.start(StageSettings.from("status-reporter", environment), cluster.newClient(),
                StatusReporterHandler::new, -1);
        await().atMost(BOUND).until(s.loop()::ready);
        return s;
    }

    private GenericKubernetesResource createClone(String name, Map<String, String> annotations) {
        return kube.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), NS, name, CloneSpec.of("fedora", name + "-copy"),
                annotations)).create();
    }

    private static CloneEvents events(GenericKubernetesResource cr, String source, String target) {
        return new CloneEvents(VirtualMachineClones.ref(cr), source, target);
    }

    private void send(CloneEvent... events) {
        send(env.get("VMCLONE_TOPIC_EVENTS"), events);
    }

    private void send(String topic, CloneEvent... events) {
        for (CloneEvent event : events) {
            producer.send(codec.toRecord(topic, event));
        }
        producer.flush();
    }

    private static String groupOf(Map<String, String> environment) {
        return StageSettings.from("status-reporter", environment).groupId();
    }

    /** Waits until {@code group} has committed past every record of the events topic. */
    private void awaitConsumed(String group) {
        String topic = env.get("VMCLONE_TOPIC_EVENTS");
        await().atMost(BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25)).until(() -> {
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                query.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(query).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue().offset()));
        });
    }

    private long endOffset(GenericKubernetesResource cr) throws Exception {
        String topic = env.get("VMCLONE_TOPIC_EVENTS");
        int partition = producer.partitionsFor(topic).size();
        // The clone's partition is where the producer's partitioner sends its key.
        int p = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                VirtualMachineClones.ref(cr).key().getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partition;
        return admin.listOffsets(Map.of(new TopicPartition(topic, p), OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS)
                .get(new TopicPartition(topic, p)).offset();
    }

    private GenericKubernetesResource get(String name) {
        return kube.genericKubernetesResources(clones).inNamespace(NS).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> rawStatus(String name) {
        GenericKubernetesResource r = get(name);
        Object status = r == null ? null : r.getAdditionalProperties().get("status");
        return status == null ? Map.of() : (Map<String, Object>) status;
    }

    private String phase(String name) {
        return (String) rawStatus(name).get("phase");
    }

    /** {@code kubectl get vmcl NAME -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'}, from the raw resource. */
    private String kubectlWaitReady(String name) {
        Map<String, Object> ready = condition(rawStatus(name), "Ready");
        return ready == null ? null : (String) ready.get("status");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> condition(Map<String, Object> status, String type) {
        return list(status.get("conditions")).stream().map(c -> (Map<String, Object>) c)
                .filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private String statusPath(String name) {
        return "/apis/" + cluster.cloneGroup() + "/" + KubeResources.CLONE_VERSION + "/namespaces/" + NS + "/"
                + KubeResources.CLONE_PLURAL + "/" + name + "/status";
    }

    /** The PUT/PATCH requests to this clone's status subresource so far (whatever their answer). */
    private synchronized List<RecordedRequest> statusWrites(String name) {
        try {
            RecordedRequest r;
            while ((r = cluster.server().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                requests.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String path = statusPath(name);
        return requests.stream().filter(r -> ("PUT".equals(r.getMethod()) || "PATCH".equals(r.getMethod()))
                && path.equals(r.getPath())).toList();
    }

    private List<Event> events(String clone) {
        return kube.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(ev -> clone.equals(ev.getInvolvedObject().getName())).toList();
    }

    private List<String> eventReasons(String clone) {
        return events(clone).stream().map(Event::getReason).toList();
    }
}
