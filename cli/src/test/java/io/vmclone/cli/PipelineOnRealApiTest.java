package io.vmclone.cli;

import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The end-to-end tests on a real kube-apiserver + etcd: our CRD and deploy/base applied as rendered, and each
 * service authenticated by its own ServiceAccount token, so a call the shipped RBAC does not allow is a real
 * 403 that fails the clone.
 */
@ExtendWith(RealClusterExtension.class)
class PipelineOnRealApiTest extends PipelineEndToEndTest {
    private final RealCluster real;

    PipelineOnRealApiTest(RealCluster real) {
        this.real = real;
    }

    @Override
    protected KubeCluster startCluster() {
        return real;
    }

    @Override
    protected boolean ownsCluster() {
        return false;
    }
}
