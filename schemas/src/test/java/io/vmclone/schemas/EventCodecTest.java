package io.vmclone.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vmclone.schemas.events.CancelRequested;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.schemas.events.VolumeProgress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {
    private static final EventCodec CODEC = new EventCodec();
    private static final OffsetDateTime TIME = OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final CloneRef CLONE = new CloneRef("vms", "fedora-clone", "7f1c2d3e-0000-4000-8000-000000000001");

    /** One example of every event type (the test below checks the list is complete). */
    static Stream<Arguments> everyEvent() {
        ObjectNode vm = Json.MAPPER.createObjectNode();
        vm.put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachine").putObject("metadata").put("name", "fedora-copy");
        ObjectNode dv = Json.MAPPER.createObjectNode();
        dv.put("apiVersion", "cdi.kubevirt.io/v1beta1").put("kind", "DataVolume").putObject("metadata").put("name", "fedora-copy-root");
        CloneSpec spec = CloneSpec.builder().source(CloneSpec.TypedRef.vm("fedora"))
                .target(CloneSpec.TypedRef.vm("fedora-copy")).labelFilters(List.of("*", "!team"))
                .template(new CloneSpec.TemplateFilters(List.of("app*"), null))
                .newMacAddresses(Map.of("default", "02:00:00:00:00:01")).newSMBiosSerial("SERIAL-1")
                .patches(List.of("{\"op\":\"add\",\"path\":\"/spec/template/metadata/labels/x\",\"value\":\"y\"}"))
                .volumeNamePolicy(CloneSpec.POLICY_PREFIX_TARGET).cloneLabels(true).cloneAnnotations(true).cloneDisks(true)
                .cloneNetwork(false).backendStorage(CloneSpec.BACKEND_STORAGE_COPY).build();
        List<VolumeProgress> volumes = List.of(new VolumeProgress("rootdisk", "fedora-copy-root", "CSICloneInProgress", "45.20%"));
        return Stream.of(
                Arguments.of(EventType.REQUEST, new CloneRequest("vms", null, spec)),
                Arguments.of(EventType.REQUESTED, new Requested(CLONE, 1L, spec,
                        new Requester("alice", List.of("devs"), "allowed", "may get the source VM"), Origin.resource())),
                // An external request's origin carries its digest; a duplicate's rejection names the clone it already became.
                Arguments.of(EventType.REQUESTED, new Requested(CLONE, 1L, spec, Requester.trusted(null, "intake ACLs"),
                        new Origin(Origin.INTAKE, "/ticketing", "t-1", "0".repeat(64)))),
                Arguments.of(EventType.REJECTED, new Rejected(new CloneRef("vms", "rej-00112233445566778899", null), "bridge",
                        Reasons.DUPLICATE_REQUEST, "id", "already accepted as clone vms/fedora-clone", "t-1", CLONE)),
                Arguments.of(EventType.PLANNED, new Planned(CLONE, "fedora-copy", vm, List.of(dv), List.of("MAC of default blanked"))),
                Arguments.of(EventType.REJECTED, new Rejected(CLONE, "planner", Reasons.SOURCE_NOT_FOUND, "spec.source.name",
                        "VirtualMachine vms/fedora does not exist", null)),
                Arguments.of(EventType.PROGRESSED, new Progressed(CLONE, Progressed.CLONING_VOLUMES, "fedora-copy", "45.20%", volumes)),
                Arguments.of(EventType.SUCCEEDED, new Succeeded(CLONE, "fedora-copy", volumes)),
                Arguments.of(EventType.FAILED, new Failed(CLONE, "executor", Reasons.VOLUME_CLONE_FAILED, "DataVolume x failed", "fedora-copy")),
                Arguments.of(EventType.CANCEL_REQUESTED, new CancelRequested(CLONE)),
                Arguments.of(EventType.CANCELLED, new Cancelled(CLONE, List.of("VirtualMachine/fedora-copy"))));
    }

    @Test
    void examplesCoverEveryEventType() {
        Set<EventType> covered = everyEvent().map(a -> (EventType) a.get()[0]).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(EventType.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void roundTripsThroughBinaryKafkaRecordsAndValidatesAgainstItsSchema(EventType type, Object data) {
        CloneEvent event = event(type, data);
        ProducerRecord<String, byte[]> produced = CODEC.toRecord("vmclone.events", event);

        ConsumerRecord<String, byte[]> consumed = asConsumed(produced);
        assertThat(EventCodec.typeHeader(consumed)).isEqualTo(type.type());
        CloneEvent decoded = CODEC.decode(consumed);

        assertThat(decoded.type()).isEqualTo(type);
        assertThat(decoded.id()).isEqualTo(event.id());
        assertThat(decoded.data()).isEqualTo(data);
        assertThat(new EventSchemas().validate(type, Json.MAPPER.valueToTree(data))).isEmpty();
        if (type != EventType.REQUEST) {
            assertThat(produced.key()).isEqualTo(((io.vmclone.schemas.events.CloneEventData) data).cloneRef().key());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void roundTripsInStructuredMode(EventType type, Object data) {
        CloneEvent event = event(type, data);
        ConsumerRecord<String, byte[]> consumed = asConsumed(CODEC.toStructuredRecord("vmclone.events", event));
        assertThat(EventCodec.typeHeader(consumed)).as("structured mode has no ce_type header").isNull();
        assertThat(CODEC.decode(consumed).data()).isEqualTo(data);
    }

    /** A Kafka intake request's requester and the groups asserted for it reach the bridge, in either mode, as sent. */
    @Test
    void theRequesterAndItsAssertedGroupsRoundTripInBothModes() {
        CloneEvent request = new CloneEvent("t-9", URI.create("/ticketing"), EventType.REQUEST, TIME,
                new CloneRequest("vms", null, CloneSpec.of("fedora", "copy")), "alice", "tickets:approvers,team-a");
        ConsumerRecord<String, byte[]> binary = asConsumed(CODEC.toRecord(Topics.DEFAULT_INTAKE, request));
        assertThat(new String(binary.headers().lastHeader("ce_" + Headers.REQUESTER_GROUPS_EXTENSION).value(), StandardCharsets.UTF_8))
                .isEqualTo("tickets:approvers,team-a");
        for (ConsumerRecord<String, byte[]> r : List.of(binary, asConsumed(CODEC.toStructuredRecord(Topics.DEFAULT_INTAKE, request)))) {
            CloneEvent decoded = CODEC.decode(r);
            assertThat(decoded.requester()).isEqualTo("alice");
            assertThat(decoded.requesterGroups()).isEqualTo("tickets:approvers,team-a");
        }
        CloneEvent without = CODEC.decode(asConsumed(CODEC.toRecord(Topics.DEFAULT_INTAKE, new CloneEvent("t-10", URI.create("/ticketing"),
                EventType.REQUEST, TIME, new CloneRequest("vms", null, CloneSpec.of("fedora", "copy")), null))));
        assertThat(without.requester()).isNull();
        assertThat(without.requesterGroups()).as("absent, not empty").isNull();
    }

    @Test
    void cloudEventCarriesSubjectPartitionKeyAndDataschema() {
        CloudEvent ce = CODEC.toCloudEvent(event(EventType.CANCEL_REQUESTED, new CancelRequested(CLONE)));
        assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(ce.getSubject()).isEqualTo("namespaces/vms/virtualmachineclones/fedora-clone");
        assertThat(ce.getExtension("partitionkey")).isEqualTo("vms/fedora-clone");
        assertThat(ce.getDataSchema()).isEqualTo(URI.create("https://vmclone.io/schemas/events/v1/cancel-requested.json"));
        assertThat(ce.getType()).isEqualTo("io.vmclone.clone.cancel-requested");
    }

    @Test
    void sameDecisionGivesSameEventId() {
        CloneEvent a = CloneEvent.of("planner", EventType.CANCEL_REQUESTED, new CancelRequested(CLONE), TIME, null);
        CloneEvent b = CloneEvent.of("planner", EventType.CANCEL_REQUESTED, new CancelRequested(CLONE), TIME.plusHours(1), null);
        assertThat(a.id()).isEqualTo(b.id()).startsWith(CLONE.uid());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("{\"clone\":{\"namespace\":\"vms\"},\"deleted\":[]}", "data.clone.name"),
                Arguments.of("{\"clone\":{\"namespace\":\"vms\",\"name\":\"Not_A_Name\"},\"deleted\":[]}", "data.clone.name"),
                Arguments.of("{\"clone\":{\"namespace\":\"vms\",\"name\":\"ok\"}}", "data.deleted"),
                Arguments.of("{\"clone\":{\"namespace\":\"vms\",\"name\":\"ok\"},\"deleted\":\"all\"}", "data.deleted"),
                Arguments.of("{\"clone\":{\"namespace\":\"vms\",\"name\":\"ok\"},\"deleted\":[],\"extra\":1}", "data"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void malformedDataFailsNamingTheField(String json, String field) {
        CloudEvent ce = CloudEventBuilder.v1().withId("x").withSource(URI.create("/test")).withType(EventType.CANCELLED.type())
                .withData("application/json", json.getBytes(StandardCharsets.UTF_8)).build();
        assertThatThrownBy(() -> CODEC.fromCloudEvent(ce))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void anOriginDigestThatIsNoSha256IsRefused() {
        String json = "{\"clone\":{\"namespace\":\"vms\",\"name\":\"ok\"},\"spec\":{\"source\":{\"name\":\"a\"}},"
                + "\"origin\":{\"channel\":\"http\",\"digest\":\"not-hex\"}}";
        CloudEvent ce = CloudEventBuilder.v1().withId("x").withSource(URI.create("/vmclone/bridge")).withType(EventType.REQUESTED.type())
                .withData("application/json", json.getBytes(StandardCharsets.UTF_8)).build();
        assertThatThrownBy(() -> CODEC.fromCloudEvent(ce))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("data.origin.digest"));
    }

    @Test
    void unknownTypeIsRefusedNamingTheTypeAttribute() {
        CloudEvent ce = CloudEventBuilder.v1().withId("x").withSource(URI.create("/test")).withType("com.example.other")
                .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8)).build();
        assertThatThrownBy(() -> CODEC.fromCloudEvent(ce))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.field()).isEqualTo("type");
                    assertThat(e.getMessage()).contains("com.example.other");
                });
    }

    @Test
    void garbageBytesAreNotACloudEvent() {
        var record = new ConsumerRecord<String, byte[]>("t", 0, 0, "k", "not json".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> CODEC.decode(record))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("record"));
    }

    @Test
    void subjectThatContradictsTheDataIsRefused() {
        CloudEvent good = CODEC.toCloudEvent(event(EventType.CANCEL_REQUESTED, new CancelRequested(CLONE)));
        CloudEvent bad = CloudEventBuilder.v1(good).withSubject("namespaces/other/virtualmachineclones/x").build();
        assertThatThrownBy(() -> CODEC.fromCloudEvent(bad))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("subject"));
    }

    @Test
    void everyTypeHasASchemaFileWhoseIdIsItsDataschema() throws Exception {
        for (EventType type : EventType.values()) {
            var in = getClass().getResourceAsStream("/schemas/events/v1/" + type.slug() + ".json");
            assertThat(in).as(type + " schema file").isNotNull();
            assertThat(Json.MAPPER.readTree(in).path("$id").asText()).isEqualTo(type.dataschema().toString());
        }
        assertThat(Arrays.stream(EventType.values()).map(EventType::type)).doesNotHaveDuplicates()
                .allMatch(t -> t.startsWith("io.vmclone.clone."));
    }

    private static CloneEvent event(EventType type, Object data) {
        String id = "evt-" + type.slug();
        return new CloneEvent(id, URI.create("/vmclone/test"), type, TIME, data, null);
    }

    private static ConsumerRecord<String, byte[]> asConsumed(ProducerRecord<String, byte[]> p) {
        return new ConsumerRecord<>(p.topic(), 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 0, p.key(), p.value(),
                new RecordHeaders(p.headers().toArray()), java.util.Optional.empty());
    }
}
