package io.vmclone.executor;

import static io.vmclone.executor.ExecutorHarness.NS;
import static io.vmclone.executor.ExecutorHarness.newClone;
import static io.vmclone.executor.ExecutorHarness.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Cancelled;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cancel removes exactly what the cancelled clone created, and nothing once it succeeded. */
@ExtendWith(KafkaBrokerExtension.class)
class ExecutorCancelTest {
    private ExecutorHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void cancelMidCopyDeletesThisClonesVmAndDataVolumesOnly(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        GenericKubernetesResource strangerDv = new GenericKubernetesResource();
        strangerDv.setApiVersion("cdi.kubevirt.io/v1beta1");
        strangerDv.setKind("DataVolume");
        strangerDv.setMetadata(new ObjectMetaBuilder().withName("unrelated-disk").withNamespace(NS).build());
        h.kube.resource(strangerDv).create();
        h.startExecutor();
        CloneRef cancelled = newClone("web-clone");
        CloneRef other = newClone("db-clone");
        h.publishPlan(plan(other, "db-copy", "root"));
        h.publishPlan(plan(cancelled, "web-copy", "root", "data"));
        h.awaitEvent(cancelled, EventType.PROGRESSED, Progressed.class);
        h.cdi("web-copy-root", "CSICloneInProgress", "45.20%");
        h.cdi("db-copy-root", "CSICloneInProgress", "12.00%");

        h.publishCancel(cancelled);

        Cancelled done = h.awaitEvent(cancelled, EventType.CANCELLED, Cancelled.class);
        assertThat(done.deleted()).containsExactlyInAnyOrder("DataVolume/web-copy-root", "DataVolume/web-copy-data",
                "VirtualMachine/web-copy");
        assertThat(h.vms()).extracting(vm -> vm.getMetadata().getName()).containsExactly("db-copy");
        assertThat(h.dataVolumes()).extracting(dv -> dv.getMetadata().getName())
                .containsExactlyInAnyOrder("db-copy-root", "unrelated-disk");
        // The other clone carries on to the end; the cancelled one emits nothing more.
        h.cdi("db-copy-root", "Succeeded", "100.0%");
        h.awaitEvent(other, EventType.SUCCEEDED, Succeeded.class);
        List<EventType> history = h.events(cancelled).stream().map(CloneEvent::type).toList();
        assertThat(history.get(history.size() - 1)).isEqualTo(EventType.CANCELLED);
        assertThat(history).doesNotContain(EventType.SUCCEEDED, EventType.FAILED);
        assertThat(h.calls.acceptedWrites()).filteredOn(c -> c.method().equals("DELETE"))
                .extracting(ApiCallLog.Call::path).allMatch(p -> p.contains("web-copy")).hasSize(3);
    }

    @Test
    void cancelAfterSucceededLeavesTheTargetAndEmitsNothing(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        h.startExecutor();
        CloneRef clone = newClone("web-clone");
        Planned plan = plan(clone, "web-copy", "root");
        h.publishPlan(plan);
        h.copyAll(plan);
        h.awaitEvent(clone, EventType.SUCCEEDED, Succeeded.class);

        h.publishCancel(clone);
        CloneRef marker = newClone("marker");
        h.publishPlan(plan(marker, "marker-copy"));
        h.awaitEvent(marker, EventType.SUCCEEDED, Succeeded.class); // one partition: the cancel was handled before

        assertThat(h.vm("web-copy")).isNotNull();
        assertThat(h.dataVolume("web-copy-root")).isNotNull();
        assertThat(h.events(clone, EventType.CANCELLED)).isEmpty();
        assertThat(h.calls.writes()).noneMatch(c -> c.method().equals("DELETE"));
    }
}
