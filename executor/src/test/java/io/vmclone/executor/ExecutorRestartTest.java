package io.vmclone.executor;

import static io.vmclone.executor.ExecutorHarness.BOUND;
import static io.vmclone.executor.ExecutorHarness.newClone;
import static io.vmclone.executor.ExecutorHarness.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.vmclone.runtime.StageService;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.events.Progressed;
import io.vmclone.schemas.events.Succeeded;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The executor survives being killed or restarted mid-clone: one VM, one outcome. */
@ExtendWith(KafkaBrokerExtension.class)
class ExecutorRestartTest {
    private ExecutorHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** The process dies (an Error nobody catches) on its first DataVolume create: the VM exists, nothing was committed. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash: the executor process died here");
        }
    }

    static final class CrashBeforeFirstDataVolume implements Interceptor {
        final AtomicBoolean crashed = new AtomicBoolean();

        @Override
        public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
            if (request.method().equals("POST") && request.uri().getPath().endsWith("/datavolumes") && crashed.compareAndSet(false, true)) {
                throw new SimulatedCrash();
            }
        }
    }

    @Test
    void killedAfterCreatingTheVmBeforeCommittingThenRestartedMakesOneVmAndCompletes(KafkaBroker broker) throws Exception {
        // The dying loop's producer tries to abort its open transaction until the request timeout; a real
        // crash would not wait at all, so keep that short.
        h = new ExecutorHarness(broker, Map.of("KAFKA_REQUEST_TIMEOUT_MS", "3000"));
        CrashBeforeFirstDataVolume crash = new CrashBeforeFirstDataVolume();
        StageService first = h.startExecutor(ExecutorHandler::new, crash);
        CloneRef clone = newClone("db-clone");
        Planned plan = plan(clone, "db-copy", "root", "data");

        h.publishPlan(plan);

        // The stage thread dies of it (Awaitility would otherwise report that thread's death as this test's failure).
        await().dontCatchUncaughtExceptions().atMost(BOUND).until(() -> !first.loop().running());
        assertThat(crash.crashed).isTrue();
        assertThat(h.vms()).hasSize(1);
        assertThat(h.dataVolumes()).isEmpty();
        assertThat(h.events(clone)).extracting(CloneEvent::type).containsExactly(EventType.PLANNED); // nothing committed

        h.startExecutor(); // same instance id: fences the dead one, re-reads the uncommitted plan
        await().atMost(BOUND).until(() -> h.dataVolumes().size() == 2);
        h.copyAll(plan);

        h.awaitEvent(clone, EventType.SUCCEEDED, Succeeded.class);
        assertThat(h.vms()).singleElement().satisfies(vm -> assertThat(vm.getMetadata().getName()).isEqualTo("db-copy"));
        assertThat(h.events(clone, EventType.SUCCEEDED)).hasSize(1);
        assertThat(h.events(clone, EventType.FAILED)).isEmpty();
        // Across both processes: one VM create, one create per DataVolume.
        assertThat(h.calls.acceptedWrites()).extracting(ApiCallLog.Call::method).containsOnly("POST").hasSize(3);
        assertThat(h.calls.writes()).filteredOn(c -> c.creates("virtualmachines")).hasSize(1);
    }

    @Test
    void restartedMidCopyResumesFromTheClusterAndNeverRepeatsAnOutcome(KafkaBroker broker) throws Exception {
        h = new ExecutorHarness(broker, Map.of());
        StageService first = h.startExecutor();
        CloneRef inFlight = newClone("app-clone");
        Planned plan = plan(inFlight, "app-copy", "root", "data");
        CloneRef finished = newClone("done-clone");
        Planned finishedPlan = plan(finished, "done-copy", "root");
        h.publishPlan(finishedPlan);
        h.publishPlan(plan);
        h.copyAll(finishedPlan);
        h.awaitEvent(finished, EventType.SUCCEEDED, Succeeded.class);
        h.awaitEvent(inFlight, EventType.PROGRESSED, Progressed.class);
        h.cdi("app-copy-root", "CSICloneInProgress", "40.00%");

        h.stop(first);
        // The copy goes on while no executor runs; the plan's offset is committed, so only resuming sees it.
        h.cdi("app-copy-root", "Succeeded", "100.0%");
        h.cdi("app-copy-data", "Succeeded", "100.0%");
        StageService second = h.startExecutor();

        Succeeded succeeded = h.awaitEvent(inFlight, EventType.SUCCEEDED, Succeeded.class);
        assertThat(succeeded.volumes()).extracting(v -> v.phase()).containsOnly("Succeeded");

        // A second restart finds both outcomes in the log: nothing is decided again.
        h.stop(second);
        h.startExecutor();
        CloneRef marker = newClone("marker");
        h.publishPlan(plan(marker, "marker-copy", "root"));
        h.awaitEvent(marker, EventType.PROGRESSED, Progressed.class); // one partition: everything before it was handled
        assertThat(h.events(inFlight, EventType.SUCCEEDED)).hasSize(1);
        assertThat(h.events(finished, EventType.SUCCEEDED)).hasSize(1);
        assertThat(h.calls.acceptedWrites()).extracting(ApiCallLog.Call::method).containsOnly("POST")
                .hasSize(3 /* app */ + 2 /* done */ + 2 /* marker */);
        List<String> vms = h.vms().stream().map(vm -> vm.getMetadata().getName()).sorted().toList();
        assertThat(vms).containsExactly("app-copy", "done-copy", "marker-copy");
    }
}
