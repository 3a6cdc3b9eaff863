package io.vmclone.cli;

import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.MockCluster;

/**
 * The end-to-end tests again, on the indexed in-memory API the load driver uses: its figures are only worth
 * something if the pipeline behaves there as on fabric8's mock.
 */
class PipelineOnIndexedApiTest extends PipelineEndToEndTest {
    @Override
    protected KubeCluster startCluster() {
        return MockCluster.startIndexed();
    }
}
