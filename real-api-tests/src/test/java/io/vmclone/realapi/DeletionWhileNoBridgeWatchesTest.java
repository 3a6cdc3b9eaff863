package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real API server removes an object without a finalizer at once, so a watch started later never hears of its
 * deletion. The bridge reconciles the event log against the clones it lists when it starts watching: an
 * in-flight clone deleted while no bridge watched is still cancelled, its target VM and DataVolumes removed.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class DeletionWhileNoBridgeWatchesTest {
    private RealPipeline p;

    @AfterEach
    void stop() {
        p.close();
    }

    @Test
    void aCloneDeletedWhileTheBridgeWasDownIsCancelledWhenItComesBack(RealCluster cluster, KafkaBroker broker) {
        // Copies that take long enough to still be in flight when the services stop.
        p = RealPipeline.prepare(cluster, broker, "deleted", Duration.ofMinutes(10)).startServices();
        p.createClone("doomed", CloneSpec.of("fedora", "doomed-copy"));
        await().atMost(RealPipeline.BOUND).until(() -> p.madeByClones(KubeResources.DATA_VOLUME).size() == 1
                && p.history("doomed").contains(EventType.PROGRESSED));

        p.stopServices();
        cluster.client().resource(p.clone("doomed")).delete();
        await().atMost(RealPipeline.BOUND).until(() -> p.clone("doomed") == null);
        p.startServices();

        await().atMost(RealPipeline.BOUND).until(() -> p.history("doomed").contains(EventType.CANCELLED));
        assertThat(p.history("doomed")).filteredOn(t -> t == EventType.CANCEL_REQUESTED).hasSize(1);
        await().atMost(RealPipeline.BOUND).until(() -> p.madeByClones(KubeResources.VIRTUAL_MACHINE).isEmpty()
                && p.madeByClones(KubeResources.DATA_VOLUME).isEmpty());
    }
}
