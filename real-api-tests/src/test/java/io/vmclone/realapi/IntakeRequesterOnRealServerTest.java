package io.vmclone.realapi;

import static io.vmclone.realapi.RealPipeline.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kafka intake's requester rules against the real authorizer: who a request acts for decides what kube-apiserver's
 * SubjectAccessReview answers, including the groups a source may assert (RBAC here lets a group clone, not its members
 * by name), and a request without requester from a source that is not trusted is refused with nothing created.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class IntakeRequesterOnRealServerTest {
    private static final URI TICKETING = URI.create("/tests/real-ticketing");
    private static final String CLONERS = "vmclone-tests:cloners";
    private final EventCodec codec = new EventCodec();
    private RealCluster cluster;
    private RealPipeline p;

    @BeforeEach
    void start(RealCluster cluster, KafkaBroker broker) {
        this.cluster = cluster;
        p = RealPipeline.prepare(cluster, broker, "intake-who", Duration.ZERO);
        // Nothing is trusted; /tests/real-ticketing may say its users are cloners.
        p.env().put(BridgeSettings.ENV_INTAKE_REQUESTER_GROUPS, "{\"" + TICKETING + "\": [\"" + CLONERS + "\"]}");
        allowGroupToClone(CLONERS);
        p.startServices();
    }

    @AfterEach
    void stop() {
        p.close();
    }

    @Test
    void aRequesterIsAuthorizedWithTheGroupsItsSourceMayAssertAndNothingElseGetsIn() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, request("as-cloner", "carol-clone", "carol", CLONERS));
            send(producer, request("carol-alone", "carol-alone-clone", "carol", null));
            send(producer, request("as-masters", "masters-clone", "carol", CLONERS + ",system:masters"));
            send(producer, request("anonymous", "anonymous-clone", null, null));
        }

        p.awaitPhase("carol-clone", "Succeeded");
        Requested requested = p.events("carol-clone").stream().filter(e -> e.type() == EventType.REQUESTED).findFirst().orElseThrow()
                .data(Requested.class);
        assertThat(requested.requester().username()).isEqualTo("carol");
        assertThat(requested.requester().groups()).containsExactly(CLONERS);
        assertThat(requested.requester().decision()).isEqualTo("allowed");

        Rejected alone = rejected("carol-alone");
        assertThat(alone.reason()).isEqualTo(Reasons.UNAUTHORIZED);
        assertThat(alone.message()).contains("user 'carol' may not get virtualmachines.kubevirt.io \"fedora\"");
        Rejected masters = rejected("as-masters");
        assertThat(masters.reason()).isEqualTo(Reasons.UNAUTHORIZED);
        assertThat(masters.field()).isEqualTo(Headers.REQUESTER_GROUPS_EXTENSION);
        Rejected anonymous = rejected("anonymous");
        assertThat(anonymous.reason()).isEqualTo(Reasons.UNAUTHORIZED);
        assertThat(anonymous.field()).isEqualTo(Headers.REQUESTER_EXTENSION);
        assertThat(anonymous.message()).contains("'" + TICKETING + "' is not a trusted intake producer");
        for (String refused : new String[] {"carol-alone-clone", "masters-clone", "anonymous-clone"}) {
            assertThat(p.clone(refused)).as(refused).isNull();
        }
        assertThat(p.madeByClones(io.vmclone.schemas.kube.KubeResources.VIRTUAL_MACHINE)).hasSize(1);
    }

    private void allowGroupToClone(String group) {
        var kube = cluster.client();
        kube.rbac().roles().inNamespace(p.ns()).resource(new RoleBuilder().withNewMetadata().withName("cloners").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("kubevirt.io").withResources("virtualmachines").withVerbs("get", "create").build(),
                        new PolicyRuleBuilder().withApiGroups("cdi.kubevirt.io").withResources("datavolumes").withVerbs("create").build())
                .build()).serverSideApply();
        kube.rbac().roleBindings().inNamespace(p.ns()).resource(new RoleBindingBuilder().withNewMetadata().withName("cloners")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("cloners")
                .endRoleRef().addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName(group).endSubject()
                .build()).serverSideApply();
    }

    private CloneEvent request(String id, String name, String requester, String groups) {
        return new CloneEvent(id, TICKETING, EventType.REQUEST, OffsetDateTime.now(),
                new CloneRequest(p.ns(), name, CloneSpec.of("fedora", name + "-vm")), requester, groups);
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = StageSettings.from("test", p.env()).kafkaCommon();
        props.put("acks", "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private void send(KafkaProducer<String, byte[]> producer, CloneEvent request) throws Exception {
        producer.send(codec.toRecord(StageSettings.from("test", p.env()).topics().intake(), request)).get();
    }

    private Rejected rejected(String eventId) {
        return await().atMost(BOUND).until(() -> new EventLogReader(StageSettings.from("test", p.env())).read(k -> true).stream()
                .map(EventLogReader.LoggedEvent::event).filter(e -> e.type() == EventType.REJECTED).map(e -> e.data(Rejected.class))
                .filter(r -> eventId.equals(r.correlationId())).findFirst().orElse(null), r -> r != null);
    }
}
