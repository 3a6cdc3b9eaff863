package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two bridge replicas elect the one that watches through a real Lease. The leader loses its renewals past the
 * renew deadline (the RoleBinding that lets the bridges write the Lease is taken away), then access comes
 * back: a replica leads again and watches. Three times; a clone created while nobody led is never missed.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class LeaderElectionOnRealServerTest {
    private static final String BINDING = "vmclone-bridge-leader-election";
    private static final Duration LEASE = Duration.ofSeconds(3);

    private RealCluster cluster;
    private RealPipeline p;
    private StageService secondBridge;
    private RoleBinding binding;

    @AfterEach
    void stop() {
        if (binding != null) {
            restoreLeaseAccess(); // never leave the shared server without it
        }
        if (secondBridge != null) {
            secondBridge.close();
        }
        p.close();
    }

    @Test
    void aBridgeThatLostItsLeaseLeadsAgainAndNoCloneIsMissed(RealCluster cluster, KafkaBroker broker) {
        this.cluster = cluster;
        p = RealPipeline.prepare(cluster, broker, "leader", Duration.ZERO);
        p.env().put(BridgeSettings.ENV_LEASE_SECONDS, String.valueOf(LEASE.toSeconds()));
        p.startServices();
        Map<String, String> second = new HashMap<>(p.env());
        second.put(StageSettings.ENV_INSTANCE_ID, "bridge-second");
        secondBridge = StageService.start(StageSettings.from(BridgeHandler.STAGE, second), cluster.serviceClient(BridgeHandler.STAGE),
                BridgeHandler::new, -1);

        for (int round = 1; round <= 3; round++) {
            String leader = await().atMost(RealPipeline.BOUND).until(this::holder, h -> h != null && !h.isEmpty());
            takeAwayLeaseAccess();
            // Nobody can renew: the Lease goes stale, the leader passes its renew deadline and stops watching.
            await().atMost(RealPipeline.BOUND).until(() -> stale(lease()));
            String clone = "missed-" + round;
            p.createClone(clone, CloneSpec.of("fedora", "fedora-copy-" + round));
            restoreLeaseAccess();
            p.awaitPhase(clone, "Succeeded");
            assertThat(p.history(clone)).as("round %d, leader before was %s", round, leader)
                    .filteredOn(t -> t == EventType.REQUESTED).hasSize(1);
        }
        assertThat(p.history("missed-1")).contains(EventType.SUCCEEDED);
    }

    private Lease lease() {
        return cluster.client().leases().inNamespace(RealCluster.SYSTEM_NAMESPACE).withName(p.env().get(BridgeSettings.ENV_LEASE_NAME))
                .get();
    }

    private String holder() {
        Lease l = lease();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    /** Not renewed for longer than the lease duration: whoever held it has passed its renew deadline. */
    private static boolean stale(Lease lease) {
        ZonedDateTime renewed = lease.getSpec().getRenewTime();
        return renewed != null && renewed.plus(LEASE.plusSeconds(1)).isBefore(ZonedDateTime.now());
    }

    private void takeAwayLeaseAccess() {
        binding = cluster.client().rbac().roleBindings().inNamespace(RealCluster.SYSTEM_NAMESPACE).withName(BINDING).get();
        cluster.client().resource(binding).delete();
        await().atMost(RealPipeline.BOUND).until(() ->
                cluster.client().rbac().roleBindings().inNamespace(RealCluster.SYSTEM_NAMESPACE).withName(BINDING).get() == null);
    }

    private void restoreLeaseAccess() {
        RoleBinding again = new RoleBindingBuilder(binding).editMetadata().withResourceVersion(null).withUid(null)
                .withCreationTimestamp(null).withManagedFields().endMetadata().build();
        cluster.client().resource(again).serverSideApply();
        binding = null;
    }
}
