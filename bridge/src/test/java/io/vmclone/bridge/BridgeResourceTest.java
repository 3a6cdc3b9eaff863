package io.vmclone.bridge;

import static io.vmclone.bridge.BridgeFixture.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.events.Requested;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** VirtualMachineClone resources in, one {@code requested} (or {@code rejected}) per clone out. */
@ExtendWith(KafkaBrokerExtension.class)
class BridgeResourceTest {
    private KafkaBroker broker;
    private BridgeFixture bridge;

    @BeforeEach
    void setUp(KafkaBroker broker) {
        this.broker = broker;
        bridge = new BridgeFixture(broker, Map.of());
    }

    @AfterEach
    void tearDown() {
        bridge.close();
    }

    @Test
    void oneRequestedPerCloneAcrossUpdatesRestartAndRelist() {
        bridge.start();
        GenericKubernetesResource clone = bridge.createClone("web-clone", CloneSpec.of("web", "web-copy"));

        CloneEvent requested = await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED, "web-clone"), l -> !l.isEmpty()).get(0);
        Requested data = requested.data(Requested.class);
        assertThat(data.cloneRef().uid()).isEqualTo(clone.getMetadata().getUid());
        assertThat(data.spec().target().name()).isEqualTo("web-copy");
        assertThat(data.origin()).isEqualTo(Origin.resource());
        assertThat(data.requester().decision()).isEqualTo("trusted");

        // A duplicate watch event (the resource changed, no status yet) is not a new request.
        clone.getMetadata().setLabels(Map.of("team", "a"));
        bridge.kube.resource(clone).update();
        // Restart: the new bridge lists every clone again; no status was written, so only the log knows.
        bridge.stop();
        bridge.start();
        bridge.createClone("later-clone", CloneSpec.of("web", "web-copy-2"));
        await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED, "later-clone"), l -> !l.isEmpty());

        assertThat(bridge.events(EventType.REQUESTED, "web-clone")).hasSize(1);
        assertThat(bridge.events(EventType.REQUESTED, "later-clone")).hasSize(1);
    }

    @Test
    void cloneWithStatusIsNeverRequestedAgainEvenWithoutTheLog() {
        bridge = withEnv(Map.of(BridgeSettings.ENV_REPLAY_LOG, "false"));
        GenericKubernetesResource old = bridge.createClone("old-clone", CloneSpec.of("web", "old-copy"));
        VirtualMachineClones.setStatus(old, new CloneStatus("Planned", "old-copy", null, null, null, null, null, null, null, null));
        bridge.kube.genericKubernetesResources(KubeResources.clones(bridge.cluster.cloneGroup())).inNamespace(BridgeFixture.NS)
                .resource(old).updateStatus();
        bridge.start();
        bridge.createClone("new-clone", CloneSpec.of("web", "new-copy"));
        await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED, "new-clone"), l -> !l.isEmpty());

        assertThat(bridge.events(EventType.REQUESTED, "old-clone")).isEmpty();
    }

    @Test
    void invalidSpecIsRejectedWithFieldAndReason() {
        bridge.start();
        bridge.createClone("bad-clone", CloneSpec.of("web", "web")); // target = source

        CloneEvent event = await().atMost(BOUND).until(() -> bridge.events(EventType.REJECTED, "bad-clone"), l -> !l.isEmpty()).get(0);
        Rejected rejected = event.data(Rejected.class);
        assertThat(rejected.reason()).isEqualTo(Reasons.INVALID_SPEC);
        assertThat(rejected.field()).isEqualTo("spec.target.name");
        assertThat(rejected.message()).contains("cannot be equal to source name");
        assertThat(bridge.events(EventType.REQUESTED, "bad-clone")).isEmpty();
    }

    @Test
    void deletingAnUnfinishedCloneRequestsCancellation() {
        bridge.start();
        GenericKubernetesResource clone = bridge.createClone("doomed", CloneSpec.of("web", "doomed-copy"));
        await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED, "doomed"), l -> !l.isEmpty());

        bridge.kube.resource(clone).delete();

        CloneEvent cancel = await().atMost(BOUND).until(() -> bridge.events(EventType.CANCEL_REQUESTED, "doomed"), l -> !l.isEmpty()).get(0);
        assertThat(cancel.cloneRef().uid()).isEqualTo(clone.getMetadata().getUid());
    }

    @Test
    void deletingAFinishedCloneCancelsNothing() {
        bridge.start();
        bridge.createClone("done", CloneSpec.of("web", "done-copy"));
        await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED, "done"), l -> !l.isEmpty());
        GenericKubernetesResource current = bridge.clone("done");
        VirtualMachineClones.setStatus(current, new CloneStatus("Succeeded", "done-copy", null, null, null, null, null, null, null, null));
        bridge.kube.genericKubernetesResources(KubeResources.clones(bridge.cluster.cloneGroup())).inNamespace(BridgeFixture.NS)
                .resource(current).updateStatus();
        GenericKubernetesResource pending = bridge.createClone("pending", CloneSpec.of("web", "pending-copy"));
        await().atMost(BOUND).until(() -> bridge.events(EventType.REQUESTED, "pending"), l -> !l.isEmpty());

        bridge.kube.resource(bridge.clone("done")).delete();
        bridge.kube.resource(pending).delete();
        // The cancellation of the unfinished one proves both deletions were seen (watch order).
        await().atMost(BOUND).until(() -> bridge.events(EventType.CANCEL_REQUESTED, "pending"), l -> !l.isEmpty());
        assertThat(bridge.events(EventType.CANCEL_REQUESTED, "done")).isEmpty();
    }

    private BridgeFixture withEnv(Map<String, String> extra) {
        bridge.close();
        return new BridgeFixture(broker, extra);
    }
}
