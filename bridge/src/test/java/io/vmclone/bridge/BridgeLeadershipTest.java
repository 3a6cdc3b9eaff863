package io.vmclone.bridge;

import static io.vmclone.bridge.BridgeFixture.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two bridge replicas: a Lease elects the one that watches clones, and the other takes over when it stops. */
@ExtendWith(KafkaBrokerExtension.class)
class BridgeLeadershipTest {
    private BridgeFixture fixture;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        fixture.close();
    }

    @Test
    void onlyTheLeaderRequestsAndTheOtherReplicaTakesOver(KafkaBroker broker) {
        fixture = new BridgeFixture(broker, Map.of(BridgeSettings.ENV_LEASE_SECONDS, "5"));
        StageService one = replica("bridge-one");
        StageService two = replica("bridge-two");
        String leader = await().atMost(BOUND).until(this::leaseHolder, h -> h != null);
        assertThat(leader).isIn("bridge-one", "bridge-two");

        for (int i = 0; i < 5; i++) {
            fixture.createClone("first-" + i, CloneSpec.of("web", "first-copy-" + i));
        }
        await().atMost(BOUND).until(() -> fixture.events(EventType.REQUESTED).size() >= 5);

        // The leader leaves (it releases the Lease): the other replica watches from now on.
        (leader.equals("bridge-one") ? one : two).close();
        String next = await().atMost(BOUND).until(this::leaseHolder, h -> h != null && !h.isEmpty() && !h.equals(leader));
        for (int i = 0; i < 5; i++) {
            fixture.createClone("second-" + i, CloneSpec.of("web", "second-copy-" + i));
        }
        await().atMost(BOUND).until(() -> fixture.events(EventType.REQUESTED).size() >= 10);

        var requested = fixture.events(EventType.REQUESTED);
        assertThat(requested).extracting(e -> e.cloneRef().name()).doesNotHaveDuplicates().hasSize(10);
        assertThat(next).isNotEqualTo(leader);
    }

    private StageService replica(String instanceId) {
        Map<String, String> env = new HashMap<>(fixture.env);
        env.put(StageSettings.ENV_INSTANCE_ID, instanceId);
        KubernetesClient client = fixture.cluster.newClient();
        open.add(client);
        StageService s = StageService.start(StageSettings.from(BridgeHandler.STAGE, env), client, BridgeHandler::new, -1);
        open.add(s);
        await().atMost(BOUND).until(() -> s.loop().ready());
        return s;
    }

    private String leaseHolder() {
        for (Lease lease : fixture.kube.leases().inAnyNamespace().list().getItems()) {
            if (BridgeSettings.DEFAULT_LEASE_NAME.equals(lease.getMetadata().getName())) {
                return lease.getSpec().getHolderIdentity();
            }
        }
        return null;
    }
}
