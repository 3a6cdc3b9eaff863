package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.StorageSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code clone --wait}, {@code status}, {@code list} and {@code audit} against the real pipeline: a real
 * broker, the four services, the mock Kubernetes API (reached through a kubeconfig, as a user would) and
 * simulated storage. One pipeline for the class; every test uses its own clone names.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCommandsTest {
    private static final String NS = "default";
    private static final Duration BOUND = Duration.ofSeconds(60);

    private MockCluster cluster;
    private StorageSimulator storage;
    private LocalPipeline pipeline;
    private String kubeconfig;
    private String bootstrap;
    private String eventsTopic;
    private Path dir;

    @BeforeAll
    void start(KafkaBroker broker) throws Exception {
        cluster = MockCluster.start();
        cluster.apply("/samples/fedora.yaml", NS);
        cluster.apply("/samples/database.yaml", NS);
        String run = UUID.randomUUID().toString().substring(0, 8);
        bootstrap = broker.bootstrapServers();
        eventsTopic = "events-" + run;
        Map<String, String> env = Map.of(
                StageSettings.ENV_BOOTSTRAP, bootstrap,
                StageSettings.ENV_GROUP_PREFIX, "cli-" + run,
                "VMCLONE_TOPIC_EVENTS", eventsTopic,
                "VMCLONE_TOPIC_INTAKE", "intake-" + run,
                "VMCLONE_TOPIC_DLQ", "dlq-" + run,
                "VMCLONE_TOPIC_PARTITIONS", "3");
        storage = new StorageSimulator(cluster.newClient(), Duration.ofMillis(1500), 3).start();
        pipeline = LocalPipeline.start(env, cluster::serviceClient, -1);
        await().atMost(BOUND).until(pipeline::ready);
        dir = Files.createTempDirectory("vmclone-cli-test");
        kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig")).toString();
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (storage != null) {
            storage.close();
        }
        cluster.close();
    }

    private Cli.Result vmclone(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kubeconfig", kubeconfig));
        return Cli.run(all.toArray(String[]::new));
    }

    private Cli.Result audit(String... args) {
        List<String> all = new ArrayList<>(List.of("audit"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap-servers", bootstrap, "--events-topic", eventsTopic));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void cloneWaitFollowsProgressAndExitsZeroOnSuccess() {
        Cli.Result r = vmclone("clone", "fedora", "--target", "fedora-copy", "--name", "fedora-clone",
                "--new-mac-address", "default:02:00:00:00:00:09", "--wait", "--timeout", "60s");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("virtualmachineclone default/fedora-clone created")
                .contains("CloningVolumes")
                // CDI's smart clone, as the simulated CDI does by default: N/A, the strategy named, no made-up percentage
                .containsPattern("CloningVolumes +N/A, 0 of 1 volume done  rootdisk: [A-Za-z]+ \\(snapshot\\)")
                .contains("Succeeded").contains("VirtualMachine fedora-copy is ready");
        var vm = cluster.client().genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(NS).withName("fedora-copy").get();
        assertThat(vm).as("the clone really happened").isNotNull();
        JsonNode iface = Json.MAPPER.valueToTree(vm).path("spec").path("template").path("spec").path("domain")
                .path("devices").path("interfaces").path(0);
        assertThat(iface.path("macAddress").asText()).isEqualTo("02:00:00:00:00:09");

        Cli.Result status = vmclone("status", "fedora-clone");
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).contains("Phase:      Succeeded").contains("Target:     fedora-copy")
                .contains("Ready").contains("rootdisk").contains("100.0%");

        Cli.Result list = vmclone("list");
        assertThat(list.exit()).isZero();
        assertThat(list.out().lines()).first().asString().contains("NAME").contains("PHASE");
        assertThat(list.out()).containsPattern("fedora-clone\\s+fedora\\s+fedora-copy\\s+Succeeded\\s+100.0%");
    }

    @Test
    void cloneWaitExitsOneWithTheReasonWhenTheCloneFails() {
        Cli.Result r = vmclone("clone", "no-such-vm", "--target", "ghost-copy", "--name", "ghost-clone", "--wait", "--timeout", "60s");

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("ghost-clone Failed").contains("SourceNotFound").contains("no-such-vm");
    }

    @Test
    void cloneWaitExitsOneWhenTimeIsUpButLeavesTheCloneRunning() {
        Cli.Result r = vmclone("clone", "database", "--target", "db-slow", "--name", "db-slow-clone", "--wait", "--timeout", "300ms");

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("did not finish within").contains("keeps running");
        await().atMost(BOUND).until(() -> vmclone("status", "db-slow-clone").out().contains("Phase:      Succeeded"));
    }

    @Test
    void cloneWithoutWaitReturnsAtOnceAndAnExistingNameIsRefused() {
        Cli.Result first = vmclone("clone", "fedora", "--target", "fedora-twice", "--name", "twice-clone");
        assertThat(first.exit()).as(first.toString()).isZero();
        Cli.Result second = vmclone("clone", "fedora", "--target", "fedora-twice-2", "--name", "twice-clone");
        assertThat(second.exit()).isEqualTo(2);
        assertThat(second.err()).contains("default/twice-clone");
    }

    @Test
    void invalidFlagsCreateNothing() {
        Cli.Result r = vmclone("clone", "fedora", "--target", "fedora", "--name", "same-name-clone", "--wait");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("spec.target.name");
        assertThat(cluster.client().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup()))
                .inNamespace(NS).withName("same-name-clone").get()).isNull();
    }

    @Test
    void planReadsTheSourceFromTheClusterWithAKubeconfig() throws Exception {
        Path clone = dir.resolve("plan-clone.yaml");
        Files.writeString(clone, """
                apiVersion: clone.kubevirt.io/v1beta1
                kind: VirtualMachineClone
                metadata: { name: planned-from-cluster }
                spec:
                  source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: database }
                  target: { name: db-planned }
                """);
        Cli.Result r = vmclone("plan", "-f", clone.toString(), "-o", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode plan = Json.MAPPER.readTree(r.out());
        assertThat(plan.path("virtualMachine").path("metadata").path("name").asText()).isEqualTo("db-planned");
        assertThat(plan.path("dataVolumes")).hasSize(3);
        assertThat(plan.path("dataVolumes").path(0).path("spec").path("storage").path("storageClassName").asText())
                .as("claims were read from the cluster").isEqualTo("fast");
        assertThat(cluster.client().genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(NS)
                .withName("db-planned").get()).as("a dry run creates nothing").isNull();
    }

    @Test
    void statusOfAMissingCloneExitsOne() {
        Cli.Result r = vmclone("status", "never-was");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("default/never-was not found");
    }

    @Test
    void auditShowsTheTimelineInOrderEvenAfterTheCloneIsDeleted() throws Exception {
        Cli.Result cloned = vmclone("clone", "fedora", "--target", "fedora-audited", "--name", "audited-clone", "--wait", "--timeout", "60s");
        assertThat(cloned.exit()).as(cloned.toString()).isZero();
        KubernetesClient kube = cluster.client();
        kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(NS).withName("audited-clone").delete();
        await().atMost(BOUND).until(() -> kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup()))
                .inNamespace(NS).withName("audited-clone").get() == null);

        Cli.Result table = audit("audited-clone", "-n", NS);
        assertThat(table.exit()).as(table.toString()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).contains("TIME").contains("EVENT").contains("SOURCE").contains("SUMMARY").contains("REQUESTER");
        List<String> types = lines.stream().skip(1).map(l -> l.split("\\s{2,}")[1]).toList();
        assertThat(types.get(0)).isEqualTo(EventType.REQUESTED.slug());
        assertThat(types.get(types.size() - 1)).isEqualTo(EventType.SUCCEEDED.slug());
        assertThat(types).containsSubsequence("requested", "planned", "progressed", "succeeded");
        assertThat(table.out()).contains("/vmclone/bridge").contains("/vmclone/planner").contains("fedora-audited");

        Cli.Result json = audit("audited-clone", "-n", NS, "-o", "json");
        assertThat(json.exit()).isZero();
        JsonNode events = Json.MAPPER.readTree(json.out());
        assertThat(events.isArray()).isTrue();
        assertThat(events).hasSize(types.size());
        List<OffsetDateTime> times = new ArrayList<>();
        events.forEach(e -> {
            assertThat(e.path("specversion").asText()).isEqualTo("1.0");
            assertThat(e.path("subject").asText()).isEqualTo("namespaces/default/virtualmachineclones/audited-clone");
            times.add(OffsetDateTime.parse(e.path("time").asText()));
        });
        assertThat(times).isSorted();
        assertThat(events.get(0).path("type").asText()).isEqualTo(EventType.REQUESTED.type());
        assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo(EventType.SUCCEEDED.type());
        assertThat(events.get(0).path("data").path("clone").path("name").asText()).isEqualTo("audited-clone");
    }

    @Test
    void auditAllListsEveryCloneAndSinceFilters() {
        Cli.Result r = vmclone("clone", "no-such-vm", "--target", "x-copy", "--name", "for-all-clone", "--wait", "--timeout", "60s");
        assertThat(r.exit()).isEqualTo(1);

        Cli.Result all = audit("--all");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out()).contains("CLONE").contains("default/for-all-clone").contains("rejected");
        Cli.Result future = audit("--all", "--since", "2999-01-01T00:00:00Z");
        assertThat(future.exit()).isZero();
        assertThat(future.out()).contains("No events");
        Cli.Result unknown = audit("no-such-clone");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no events for clone default/no-such-clone");
        Cli.Result both = audit("x", "--all");
        assertThat(both.exit()).isEqualTo(2);
    }
}
