package io.vmclone.robustness;

import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bad-input corpus through the CR door of a real kube-apiserver, the four services with their own
 * ServiceAccount tokens. Where our CRD's schema already refuses a case (types, enums, patterns, lengths), the
 * create fails with the server's 422 naming the field and nothing exists; every other case is answered by the
 * pipeline exactly as on the in-memory API.
 */
@ExtendWith(RealClusterExtension.class)
class CrDoorOnRealServerBadInputTest extends CrDoorBadInputTest {
    private final RealCluster real;

    CrDoorOnRealServerBadInputTest(RealCluster real) {
        this.real = real;
    }

    @Override
    protected DoorPipeline startDoor(KafkaBroker broker) {
        return DoorPipeline.start(broker, "bad-cr-real", real, false, env -> {});
    }
}
