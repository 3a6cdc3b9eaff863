package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.sets.CloneSetSpec;
import io.vmclone.schemas.sets.CloneSetStatus;
import io.vmclone.schemas.sets.CloneSets;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import io.vmclone.cli.Vmclone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * VirtualMachineCloneSet on the real API server, the bridge with its own ServiceAccount and deploy/base's RBAC: a
 * set makes one clone per replica (each through the whole pipeline), counts them in its status, grows when scaled
 * up, refuses a bad template once without making any clone, and cancels its unfinished clones when deleted.
 */
@ExtendWith({RealClusterExtension.class, KafkaBrokerExtension.class})
class CloneSetOnRealServerTest {
    private static final CloneSpec TEMPLATE = CloneSpec.of("fedora", null);
    private RealPipeline p;

    @AfterEach
    void stop() {
        p.close();
    }

    @Test
    void aSetClonesEveryReplicaCountsThemAndGrowsWhenScaledUp(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.start(cluster, broker, "sets");
        create("runners", new CloneSetSpec(3, "runner-{index:02}", TEMPLATE));

        CloneSetStatus done = awaitReady("runners", 3);
        assertThat(done.phases()).isEqualTo(Map.of("Succeeded", 3));
        assertThat(vmNames()).containsExactlyInAnyOrder("runner-00", "runner-01", "runner-02");
        assertThat(p.history("runners-1")).startsWith(EventType.REQUESTED, EventType.PLANNED).endsWith(EventType.SUCCEEDED);
        assertThat(cluster.kubectl("get", "vmclset", "-n", p.ns())).as("printer columns")
                .contains("REPLICAS", "SUCCEEDED", "READY").containsPattern("runners\\s+3\\s+3\\s+0\\s+True\\s+fedora");

        sets().withName("runners").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":5}}");
        awaitReady("runners", 5);
        assertThat(vmNames()).containsExactlyInAnyOrder("runner-00", "runner-01", "runner-02", "runner-03", "runner-04");
        assertThat(p.madeByClones(KubeResources.DATA_VOLUME)).as("one DataVolume per replica").hasSize(5);

        assertThatThrownBy(() -> sets().withName("runners").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"source\":{\"name\":\"other\"}}}}")).as("the template is immutable")
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
                        .contains("spec.template is immutable after creation"));
    }

    @Test
    void theCliClonesAFleetAndWaitsForIt(RealCluster cluster, KafkaBroker broker, @TempDir Path dir) throws Exception {
        p = RealPipeline.start(cluster, broker, "setcli");
        String kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig")).toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Vmclone.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("clone", "fedora", "--replicas", "2", "--name", "ci", "--target", "ci-runner-{index}", "--wait",
                "--timeout", "90s", "--kubeconfig", kubeconfig, "-n", p.ns());

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("virtualmachinecloneset " + p.ns() + "/ci created (2 clones of fedora, targets ci-runner-{index})")
                .contains("2/2 succeeded, 0 failed (Succeeded=2)")
                .contains("clone set ci succeeded: 2 VirtualMachines ready (halted)");
        assertThat(vmNames()).containsExactlyInAnyOrder("ci-runner-0", "ci-runner-1");

        int refused = cli.execute("clone", "fedora", "--replicas", "3", "--name", "ci-bad", "--target", "ci-runner",
                "--kubeconfig", kubeconfig, "-n", p.ns());
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString()).contains("--target: must contain {index} or {index:0N} (N from 1 to 9) exactly once");
        assertThat(sets().withName("ci-bad").get()).as("nothing created").isNull();
    }

    @Test
    void aSetWithABadTemplateIsRefusedOnceAndMakesNoClone(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.start(cluster, broker, "badset");
        CloneSpec oneSerial = CloneSpec.builder().source(TEMPLATE.source()).newSMBiosSerial("SERIAL-1").build();
        create("bad", new CloneSetSpec(200, null, oneSerial));

        CloneSetStatus refused = await().atMost(RealPipeline.BOUND).until(() -> status("bad"),
                s -> s != null && s.condition(CloneSetStatus.READY) != null);
        assertThat(refused.condition(CloneSetStatus.READY).reason()).isEqualTo(CloneSetStatus.INVALID_SPEC);
        assertThat(refused.condition(CloneSetStatus.READY).message())
                .isEqualTo("no clone is made: spec.template.newSMBiosSerial: must not be set: every replica would get the same serial");
        assertThat(clones()).isEmpty();
        assertThat(refused.clones()).isZero();
    }

    @Test
    void servicesRestartedMidSetMakeNoSecondCloneNorVm(RealCluster cluster, KafkaBroker broker) {
        p = RealPipeline.prepare(cluster, broker, "setrestart", Duration.ofSeconds(3)).startServices();
        create("restarted", new CloneSetSpec(4, null, TEMPLATE));
        await().atMost(RealPipeline.BOUND).until(() -> clones().size() == 4);

        p.stopServices();
        p.startServices();

        CloneSetStatus done = awaitReady("restarted", 4);
        assertThat(done.clones()).isEqualTo(4);
        assertThat(clones()).hasSize(4);
        assertThat(vmNames()).containsExactlyInAnyOrder("restarted-0", "restarted-1", "restarted-2", "restarted-3");
        for (int i = 0; i < 4; i++) {
            assertThat(p.history("restarted-" + i)).as("replica %d", i).filteredOn(t -> t == EventType.REQUESTED).hasSize(1);
        }
    }

    @Test
    void deletingASetCancelsItsUnfinishedClones(RealCluster cluster, KafkaBroker broker) {
        // Copies that take long enough to still be in flight when the set goes.
        p = RealPipeline.prepare(cluster, broker, "setgone", Duration.ofMinutes(10)).startServices();
        create("doomed", new CloneSetSpec(2, null, TEMPLATE));
        await().atMost(RealPipeline.BOUND).until(() -> p.madeByClones(KubeResources.DATA_VOLUME).size() == 2);

        sets().withName("doomed").delete();

        await().atMost(RealPipeline.BOUND).until(() -> clones().isEmpty());
        await().atMost(RealPipeline.BOUND).until(() -> p.history("doomed-0").contains(EventType.CANCELLED)
                && p.history("doomed-1").contains(EventType.CANCELLED));
        await().atMost(RealPipeline.BOUND).until(() -> p.madeByClones(KubeResources.VIRTUAL_MACHINE).isEmpty()
                && p.madeByClones(KubeResources.DATA_VOLUME).isEmpty());
    }

    private void create(String name, CloneSetSpec spec) {
        p.kube().resource(CloneSets.newResource(p.ns(), name, spec)).create();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> sets() {
        return p.kube().genericKubernetesResources(KubeResources.CLONE_SET).inNamespace(p.ns());
    }

    private CloneSetStatus status(String name) {
        GenericKubernetesResource set = sets().withName(name).get();
        return set == null ? null : CloneSets.status(set);
    }

    private CloneSetStatus awaitReady(String name, int replicas) {
        return await().atMost(RealPipeline.BOUND).until(() -> status(name), s -> s != null && Integer.valueOf(replicas).equals(s.succeeded())
                && "True".equals(s.condition(CloneSetStatus.READY).status()));
    }

    private List<GenericKubernetesResource> clones() {
        return p.kube().genericKubernetesResources(KubeResources.clones(p.cloneGroup())).inNamespace(p.ns())
                .withLabel(CloneSets.SET_LABEL).list().getItems();
    }

    private List<String> vmNames() {
        return p.madeByClones(KubeResources.VIRTUAL_MACHINE).stream().map(vm -> vm.getMetadata().getName()).toList();
    }
}
