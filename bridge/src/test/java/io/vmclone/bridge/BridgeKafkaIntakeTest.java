package io.vmclone.bridge;

import static io.vmclone.bridge.BridgeFixture.BOUND;
import static io.vmclone.bridge.BridgeFixture.NS;
import static io.vmclone.bridge.Requests.SOURCE;
import static io.vmclone.bridge.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.bridge.intake.RequestKeys;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Clone requests on the Kafka intake topic: CloudEvents in binary or structured mode. */
@ExtendWith(KafkaBrokerExtension.class)
class BridgeKafkaIntakeTest {
    /** Every record of a test goes to one partition, so a later record is consumed after the earlier ones. */
    private static final String KEY = "ticket";
    private static final String OTHER_NS = "elsewhere";
    /** The only group the tests' requesting system may assert for its requesters. */
    private static final String CLONERS = "cloners";
    private final EventCodec codec = new EventCodec();
    private BridgeFixture bridge;

    @BeforeEach
    void setUp(KafkaBroker broker) {
        bridge = new BridgeFixture(broker, Map.of(BridgeSettings.ENV_INTAKE_REQUESTER_GROUPS,
                "{\"" + SOURCE + "\": [\"" + CLONERS + "\"]}"));
        bridge.start();
    }

    @AfterEach
    void tearDown() {
        bridge.close();
    }

    @Test
    void binaryAndStructuredRequestsBecomeClonesAndAreRequested() throws Exception {
        send(request("bin-1", CloneSpec.of("web", "web-a")), false);
        send(request("json-1", null, CloneSpec.of("web", "web-b"), null), true);

        Requested binary = requestedFor("bin-1");
        Requested structured = requestedFor("json-1");

        assertThat(binary.cloneRef().name()).isEqualTo(RequestKeys.cloneName(SOURCE.toString(), "bin-1"));
        assertThat(binary.spec().target().name()).isEqualTo("web-a");
        assertThat(binary.origin()).isEqualTo(new Origin(Origin.INTAKE, SOURCE.toString(), "bin-1",
                RequestKeys.digest(request("bin-1", CloneSpec.of("web", "web-a")).data(CloneRequest.class))));
        assertThat(binary.requester().decision()).isEqualTo("trusted");
        assertThat(structured.spec().target().name()).isEqualTo("web-b");

        GenericKubernetesResource clone = bridge.clone(binary.cloneRef().name());
        assertThat(clone.getMetadata().getUid()).isEqualTo(binary.cloneRef().uid());
        assertThat(clone.getMetadata().getAnnotations())
                .containsEntry(CloneLabels.REQUEST_SOURCE, SOURCE.toString())
                .containsEntry(CloneLabels.REQUEST_ID, "bin-1");
    }

    @Test
    void theSameEventTwiceMakesOneCloneAndADifferentBodyIsAConflict() throws Exception {
        CloneEvent first = request("dup-1", "dup-clone", CloneSpec.of("web", "web-dup"), null);
        send(first, false);
        send(first, true); // redelivered, in the other mode
        send(request("dup-1", "dup-clone", CloneSpec.of("web", "something-else"), null), false);
        send(request("after-dup", CloneSpec.of("web", "web-after")), false);

        requestedFor("after-dup");
        assertThat(bridge.clones()).extracting(c -> c.getMetadata().getName()).filteredOn("dup-clone"::equals).hasSize(1);
        assertThat(bridge.events(EventType.REQUESTED, "dup-clone")).hasSize(1);
        Rejected duplicate = rejectedFor("dup-1", Reasons.DUPLICATE_REQUEST);
        assertThat(duplicate.original().name()).isEqualTo("dup-clone");
        Rejected conflict = rejectedFor("dup-1", Reasons.INVALID_REQUEST);
        assertThat(conflict.field()).isEqualTo("id");
        assertThat(conflict.original()).isEqualTo(duplicate.original());
        assertThat(conflict.message()).contains("already used for a different request");
        assertThat(conflict.cloneRef().name()).isNotEqualTo("dup-clone"); // the existing clone is not touched
        assertThat(bridge.clone("dup-clone").getAdditionalProperties().get("spec").toString()).contains("web-dup");
    }

    /** The key outlives the clone: before, a replay after the deletion made a second clone (and a second VM). */
    @Test
    void aReplayAfterTheCloneWasDeletedIsADuplicateNamingTheOriginalAndADifferentBodyAConflict() throws Exception {
        CloneEvent first = request("gone-1", CloneSpec.of("web", "web-gone"));
        send(first, false);
        CloneRef original = requestedFor("gone-1").cloneRef();
        deleteAndAwait(original.name());

        send(first, true); // the same request again, in the other mode
        send(request("gone-1", CloneSpec.of("web", "web-elsewhere")), false);
        send(request("after-gone", CloneSpec.of("web", "web-after-gone")), false);

        requestedFor("after-gone"); // one partition: everything sent before is handled
        Rejected duplicate = rejectedFor("gone-1", Reasons.DUPLICATE_REQUEST);
        assertThat(duplicate.original()).isEqualTo(original);
        assertThat(duplicate.field()).isEqualTo("id");
        assertThat(duplicate.message()).contains("already accepted as clone " + original.key());
        assertThat(duplicate.cloneRef().name()).isEqualTo(RequestKeys.rejectedName(SOURCE.toString(), "gone-1"));
        Rejected conflict = rejectedFor("gone-1", Reasons.INVALID_REQUEST);
        assertThat(conflict.field()).isEqualTo("id");
        assertThat(conflict.original()).isEqualTo(original);
        assertNoCloneFor("gone-1");
        assertThat(requestedEventsFor("gone-1")).hasSize(1);
        // The duplicate is an answer, not a broken record; the conflict is dead-lettered as before.
        assertThat(bridge.deadLetters()).hasSize(1);
    }

    /** The key is cluster-wide: before, the same source + id in another namespace made a second clone. */
    @Test
    void theSameIdInAnotherNamespaceIsRefusedNamingTheOriginal() throws Exception {
        send(request("ns-1", CloneSpec.of("web", "web-ns")), false);
        CloneRef original = requestedFor("ns-1").cloneRef();

        send(inNamespace(request("ns-1", CloneSpec.of("web", "web-ns")), OTHER_NS), false);
        send(request("after-ns", CloneSpec.of("web", "web-after-ns")), false);

        requestedFor("after-ns");
        Rejected conflict = rejectedFor("ns-1", Reasons.INVALID_REQUEST);
        assertThat(conflict.field()).isEqualTo("id");
        assertThat(conflict.original()).isEqualTo(original);
        assertThat(conflict.message()).contains("already used for a different request", original.key());
        assertThat(conflict.cloneRef().namespace()).isEqualTo(OTHER_NS);
        assertThat(bridge.clones(OTHER_NS)).isEmpty();
        assertThat(requestedEventsFor("ns-1")).hasSize(1);
    }

    /** What the bridge knows of requests is rebuilt from the log: before, a restarted bridge knew only the clones that existed. */
    @Test
    void aBridgeRestartedAfterTheCloneWasDeletedStillRecognisesTheRequest() throws Exception {
        CloneEvent first = request("restart-1", CloneSpec.of("web", "web-restart"));
        send(first, false);
        CloneRef original = requestedFor("restart-1").cloneRef();
        deleteAndAwait(original.name());
        bridge.stop();
        bridge.start();

        send(first, false);
        send(request("restart-1", CloneSpec.of("web", "web-restart-other")), false);
        send(request("after-restart", CloneSpec.of("web", "web-after-restart")), false);

        requestedFor("after-restart");
        assertThat(rejectedFor("restart-1", Reasons.DUPLICATE_REQUEST).original()).isEqualTo(original);
        assertThat(rejectedFor("restart-1", Reasons.INVALID_REQUEST).original()).isEqualTo(original);
        assertNoCloneFor("restart-1");
        assertThat(requestedEventsFor("restart-1")).hasSize(1);
    }

    @Test
    void badRecordsAreRejectedAndDeadLetteredAndTheBridgeKeepsConsuming() throws Exception {
        String topic = bridge.intakeTopic();
        bridge.send(new ProducerRecord<>(topic, KEY, new byte[] {0x00, (byte) 0xff, 0x13, 0x37}));
        ProducerRecord<String, byte[]> notACloudEvent = new ProducerRecord<>(topic, KEY,
                "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
        notACloudEvent.headers().add(new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)));
        bridge.send(notACloudEvent);
        ProducerRecord<String, byte[]> wrongType = rekey(codec.toRecord(topic, request("wrong-type", CloneSpec.of("web", "x"))));
        wrongType.headers().remove(Headers.CE_TYPE).add(Headers.CE_TYPE, "com.example.other".getBytes(StandardCharsets.UTF_8));
        bridge.send(wrongType);
        // A pipeline event, well-formed, but not a request: on the intake topic that is invalid too.
        CloneEvent notARequest = CloneEvent.of("someone", EventType.REQUESTED, new Requested(new CloneRef(NS, "x", "u-1"), 1L,
                CloneSpec.of("web", "x"), null, Origin.resource()), OffsetDateTime.now(), null);
        bridge.send(rekey(codec.toStructuredRecord(topic, notARequest)));
        ProducerRecord<String, byte[]> invalidData = rekey(codec.toRecord(topic, request("bad-data", CloneSpec.of("web", "x"))));
        bridge.send(new ProducerRecord<>(topic, null, KEY, "{\"namespace\":\"default\"}".getBytes(StandardCharsets.UTF_8),
                invalidData.headers()));
        send(request("bad-spec", CloneSpec.of("web", "web")), true); // decodes, but target = source
        send(request("good-after-bad", CloneSpec.of("web", "web-good")), false);

        requestedFor("good-after-bad");
        List<ConsumerRecord<String, byte[]>> dlq = await().atMost(BOUND).until(bridge::deadLetters, l -> l.size() >= 6);
        assertThat(dlq).hasSize(6);
        assertThat(dlq).extracting(r -> header(r, Headers.DLQ_REASON)).satisfiesExactly(
                garbage -> assertThat(garbage).contains("not a CloudEvent"),
                json -> assertThat(json).contains("not a CloudEvent"),
                type -> assertThat(type).startsWith("type:").contains("com.example.other"),
                type -> assertThat(type).startsWith("type:").contains(EventType.REQUESTED.type()),
                data -> assertThat(data).startsWith("data.spec"),
                spec -> assertThat(spec).startsWith("data.spec.target.name"));

        // Rejections are keyed by request, so they spread over partitions: no order across them.
        List<Rejected> rejected = bridge.events(EventType.REJECTED).stream().map(e -> e.data(Rejected.class)).toList();
        assertThat(rejected).extracting(Rejected::correlationId)
                .containsExactlyInAnyOrder(null, null, "wrong-type", notARequest.id(), "bad-data", "bad-spec");
        assertThat(rejected).extracting(Rejected::stage).containsOnly(BridgeHandler.STAGE);
        Rejected badSpec = rejected("bad-spec");
        assertThat(badSpec.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(badSpec.field()).isEqualTo("data.spec.target.name");
        Rejected badData = rejected("bad-data");
        assertThat(badData.field()).isEqualTo("data.spec");
        assertThat(badData.cloneRef().namespace()).isEqualTo(NS);
        assertThat(rejected("wrong-type").field()).isEqualTo("type");
        assertThat(rejected).filteredOn(r -> r.correlationId() == null)
                .allSatisfy(r -> assertThat(r.cloneRef().namespace()).isEqualTo(RequestKeys.UNKNOWN_NAMESPACE))
                .allSatisfy(r -> assertThat(r.field()).isEqualTo("record"));
        assertThat(bridge.clones()).hasSize(1); // only the good one
    }

    @Test
    void aNamedRequesterMustBeAllowedBySubjectAccessReview() throws Exception {
        AuthExpectations.install(bridge.cluster, Map.of(), Map.of("mallory", "datavolumes"));
        send(request("for-alice", null, CloneSpec.of("web", "web-alice"), "alice"), false);
        send(request("for-mallory", null, CloneSpec.of("web", "web-mallory"), "mallory"), false);

        Requested alice = requestedFor("for-alice");
        assertThat(alice.requester().username()).isEqualTo("alice");
        assertThat(alice.requester().decision()).isEqualTo("allowed");
        assertThat(alice.requester().reason()).contains("get virtualmachines.kubevirt.io \"web\"");

        Rejected mallory = await().atMost(BOUND).until(() -> rejected("for-mallory"), r -> r != null);
        assertThat(mallory.reason()).isEqualTo(Reasons.UNAUTHORIZED);
        assertThat(mallory.message()).contains("mallory").contains("create datavolumes.cdi.kubevirt.io");
        assertThat(bridge.deadLetters()).hasSize(1);
        assertThat(bridge.clones()).hasSize(1);
    }

    /** Before, a request without a requester was trusted whoever sent it: now only a listed source may send one. */
    @Test
    void aRequestWithoutRequesterFromAnUntrustedSourceIsRejectedDeadLetteredAndCreatesNothing() throws Exception {
        URI unlisted = URI.create("/tests/unlisted");
        send(new CloneEvent("anonymous-1", unlisted, EventType.REQUEST, OffsetDateTime.now(),
                new CloneRequest(NS, null, CloneSpec.of("web", "web-anonymous")), null), false);
        send(request("after-anonymous", CloneSpec.of("web", "web-after-anonymous")), false);

        Requested trusted = requestedFor("after-anonymous"); // the listed source still needs none
        assertThat(trusted.requester().decision()).isEqualTo("trusted");
        assertThat(trusted.requester().reason()).contains("'" + SOURCE + "' is a trusted intake producer");
        Rejected anonymous = rejectedFor("anonymous-1");
        assertThat(anonymous.reason()).isEqualTo(Reasons.UNAUTHORIZED);
        assertThat(anonymous.field()).isEqualTo(Headers.REQUESTER_EXTENSION);
        assertThat(anonymous.message()).contains("is required").contains("'/tests/unlisted' is not a trusted intake producer");
        assertThat(bridge.deadLetters()).singleElement()
                .satisfies(r -> assertThat(header(r, Headers.DLQ_REASON)).startsWith("requester: is required"));
        assertThat(bridge.clones()).hasSize(1);
    }

    /** Before, groups were never considered: now a source asserts the groups it is configured for, and they are checked. */
    @Test
    void assertedGroupsReachTheSubjectAccessReviewOnlyWhenTheSourceMayAssertThem() throws Exception {
        // RBAC lets the group clone, not carol herself.
        bridge.cluster.server().expect().post().withPath(AuthExpectations.ACCESS_REVIEWS).andReply(201, req -> "{\"apiVersion\":"
                + "\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":"
                + req.getUtf8Body().contains("\"" + CLONERS + "\"") + "}}").always();
        send(withGroups(request("carol-as-cloner", null, CloneSpec.of("web", "web-carol"), "carol"), CLONERS), false);
        send(request("carol-alone", null, CloneSpec.of("web", "web-carol-alone"), "carol"), false);
        send(withGroups(request("carol-as-admin", null, CloneSpec.of("web", "web-carol-admin"), "carol"), CLONERS + ",system:masters"),
                true);
        send(request("nobody", null, CloneSpec.of("web", "web-nobody"), ""), false);

        Requested asCloner = requestedFor("carol-as-cloner");
        assertThat(asCloner.requester().username()).isEqualTo("carol");
        assertThat(asCloner.requester().groups()).containsExactly(CLONERS);
        assertThat(asCloner.requester().decision()).isEqualTo("allowed");
        Rejected alone = rejectedFor("carol-alone");
        assertThat(alone.reason()).isEqualTo(Reasons.UNAUTHORIZED);
        assertThat(alone.field()).isEqualTo(Headers.REQUESTER_EXTENSION);
        assertThat(alone.message()).contains("user 'carol' may not");
        Rejected asAdmin = rejectedFor("carol-as-admin");
        assertThat(asAdmin.reason()).isEqualTo(Reasons.UNAUTHORIZED);
        assertThat(asAdmin.field()).isEqualTo(Headers.REQUESTER_GROUPS_EXTENSION);
        assertThat(asAdmin.message()).contains("may not assert group 'system:masters'");
        Rejected nobody = rejectedFor("nobody");
        assertThat(nobody.reason()).isEqualTo(Reasons.INVALID_REQUEST);
        assertThat(nobody.field()).isEqualTo(Headers.REQUESTER_EXTENSION);
        assertThat(nobody.message()).contains("may not be empty");
        await().atMost(BOUND).until(() -> bridge.deadLetters().size() >= 3);
        assertThat(bridge.deadLetters()).hasSize(3);
        assertThat(bridge.clones()).singleElement().satisfies(c -> assertThat(c.getMetadata().getAnnotations())
                .containsEntry(CloneLabels.REQUEST_ID, "carol-as-cloner"));
    }

    private static CloneEvent withGroups(CloneEvent request, String groups) {
        return new CloneEvent(request.id(), request.source(), request.type(), request.time(), request.data(), request.requester(), groups);
    }

    /**
     * A ce_id of 200,000 control characters (1.2 MB once JSON escapes each as six) on a request the bridge
     * refuses: the rejection quoting it was over the event limit, and so was the give-up rejection, whose
     * EventTooLarge stopped the bridge. Now the id is refused at the door and the rejection cut to its limits.
     */
    @Test
    void aRequestWhoseRejectionWouldExceedTheEventLimitIsRejectedWithinTheLimitsAndTheBridgeGoesOn() throws Exception {
        String id = "\u0001".repeat(200_000);
        send(request(id, CloneSpec.of("web", "web")), false);
        send(request("after-huge-id", CloneSpec.of("web", "web-after-huge")), false);

        requestedFor("after-huge-id");
        Rejected huge = await().atMost(BOUND).until(() -> bridge.events(EventType.REJECTED).stream().map(e -> e.data(Rejected.class))
                .filter(r -> r.correlationId() != null && r.correlationId().startsWith("\u0001")).findFirst().orElse(null), r -> r != null);
        assertThat(huge.field()).isEqualTo("id");
        assertThat(huge.reason()).isEqualTo(Reasons.INVALID_REQUEST);
        assertThat(huge.message()).contains("at most 256 characters");
        assertThat(huge.correlationId()).hasSize(io.vmclone.schemas.OutcomeLimits.CORRELATION_ID).contains("200000 chars, sha256 ");
        assertThat(bridge.deadLetters()).hasSize(1);
        assertThat(bridge.clones()).hasSize(1);
    }

    /** Jackson keeps the last of two keys, another reader the first: a key twice is refused, named, even type. */
    @Test
    void aKeyTwiceIsRefusedNamingItEvenType() throws Exception {
        String data = new String(EventCodec.serialize(new io.vmclone.schemas.events.CloneRequest(NS, null, CloneSpec.of("web", "web-twice"))),
                StandardCharsets.UTF_8);
        String json = "{\"specversion\":\"1.0\",\"id\":\"twice\",\"source\":\"" + SOURCE + "\",\"type\":\"com.example.other\","
                + "\"type\":\"" + EventType.REQUEST.type() + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(bridge.intakeTopic(), KEY, json.getBytes(StandardCharsets.UTF_8));
        record.headers().add(new RecordHeader("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8)));
        bridge.send(record);
        send(request("after-twice", CloneSpec.of("web", "web-after-twice")), false);

        requestedFor("after-twice");
        Rejected twice = rejectedFor("twice");
        assertThat(twice.field()).isEqualTo("type");
        assertThat(twice.message()).contains("more than once");
        assertThat(bridge.clones()).hasSize(1);
    }

    private void send(CloneEvent event, boolean structured) throws Exception {
        String topic = bridge.intakeTopic();
        bridge.send(rekey(structured ? codec.toStructuredRecord(topic, event) : codec.toRecord(topic, event)));
    }

    private static ProducerRecord<String, byte[]> rekey(ProducerRecord<String, byte[]> r) {
        return new ProducerRecord<>(r.topic(), null, KEY, r.value(), r.headers());
    }

    private Requested requestedFor(String eventId) {
        return await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED).stream().map(e -> e.data(Requested.class))
                .filter(r -> eventId.equals(r.origin().eventId())).findFirst().orElse(null), r -> r != null);
    }

    private Rejected rejectedFor(String eventId) {
        return await().atMost(BOUND).until(() -> rejected(eventId), r -> r != null);
    }

    private Rejected rejectedFor(String eventId, String reason) {
        return await().atMost(BOUND).until(() -> bridge.events(EventType.REJECTED).stream().map(e -> e.data(Rejected.class))
                .filter(r -> eventId.equals(r.correlationId()) && reason.equals(r.reason())).findFirst().orElse(null), r -> r != null);
    }

    private List<Requested> requestedEventsFor(String eventId) {
        return bridge.events(EventType.REQUESTED).stream().map(e -> e.data(Requested.class))
                .filter(r -> eventId.equals(r.origin().eventId())).toList();
    }

    private void deleteAndAwait(String name) {
        bridge.kube.resource(bridge.clone(name)).delete();
        await().atMost(BOUND).until(() -> bridge.clone(name) == null);
    }

    private void assertNoCloneFor(String eventId) {
        assertThat(bridge.clonesAnywhere()).as("clones made for request " + eventId)
                .noneMatch(c -> eventId.equals(c.getMetadata().getAnnotations().get(CloneLabels.REQUEST_ID)));
    }

    private static CloneEvent inNamespace(CloneEvent request, String namespace) {
        CloneRequest data = request.data(CloneRequest.class);
        return new CloneEvent(request.id(), request.source(), request.type(), request.time(),
                new CloneRequest(namespace, data.name(), data.spec()), request.requester());
    }

    private Rejected rejected(String eventId) {
        return bridge.events(EventType.REJECTED).stream().map(e -> e.data(Rejected.class))
                .filter(r -> eventId.equals(r.correlationId())).findFirst().orElse(null);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
