package io.vmclone.robustness;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KubeCluster;
import io.vmclone.testsupport.Manifests;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.StorageSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole pipeline on a mock cluster and its own topics, with the case namespaces seeded on it: what the
 * CR, intake and HTTP door tests each need, so that they differ only in how they submit a case and what
 * they expect back. One per test class: started in {@code @BeforeAll}, closed in {@code @AfterAll}.
 */
final class DoorPipeline implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(60);

    private final KubeCluster cluster;
    /** A cluster shared by the JVM's tests (the real API server) is not closed with the door. */
    private final boolean ownsCluster;
    private final Map<String, String> env;
    private StorageSimulator storage;
    private LocalPipeline pipeline;
    private EventLogSnapshot log;
    /** namespace → names of the VMs, VMIs and DataVolumes the case itself put there. */
    private final Map<String, Set<String>> seeded = new HashMap<>();

    private DoorPipeline(KubeCluster cluster, boolean ownsCluster, Map<String, String> env) {
        this.cluster = cluster;
        this.ownsCluster = ownsCluster;
        this.env = env;
    }

    /**
     * Starts cluster, storage and pipeline on topics named after {@code prefix}; {@code beforeStart} may add
     * the door's settings to the env and install expectations on the cluster before any service reads them.
     */
    static DoorPipeline start(KafkaBroker broker, String prefix, BiConsumer<MockCluster, Map<String, String>> beforeStart) {
        MockCluster mock = MockCluster.start();
        return start(broker, prefix, mock, true, env -> beforeStart.accept(mock, env));
    }

    /** The same on {@code cluster}, which the door closes only if it {@code owns} it. */
    static DoorPipeline start(KafkaBroker broker, String prefix, KubeCluster cluster, boolean owns,
                              java.util.function.Consumer<Map<String, String>> beforeStart) {
        Map<String, String> env = StageSettings.isolatedEnv(broker.bootstrapServers(), prefix, 3);
        DoorPipeline door = new DoorPipeline(cluster, owns, env);
        try {
            beforeStart.accept(env);
            door.storage = new StorageSimulator(door.cluster.newClient(), Duration.ZERO, 1).start();
            door.pipeline = LocalPipeline.start(env, door.cluster::serviceClient, -1);
            await().atMost(READY).until(door.pipeline::ready);
            door.log = new EventLogSnapshot(new EventLogReader(StageSettings.from("test", env)));
            return door;
        } catch (RuntimeException | Error e) {
            // The test never gets the fixture to close, so what did start must not outlive the class.
            door.close();
            throw e;
        }
    }

    KubeCluster cluster() {
        return cluster;
    }

    KubernetesClient kube() {
        return cluster.client();
    }

    Map<String, String> env() {
        return env;
    }

    EventLogSnapshot log() {
        return log;
    }

    LocalPipeline pipeline() {
        return pipeline;
    }

    /** Creates the case's namespace and objects once, and remembers what was there before the door saw the case. */
    void seed(BadInputCase c) {
        String ns = c.namespace();
        if (seeded.containsKey(ns)) {
            return;
        }
        populate(cluster, c);
        seeded.put(ns, names(ns));
    }

    /** What {@link #seed} found in {@code ns}: all that may be there after a rejection. */
    Set<String> seeded(String ns) {
        return seeded.get(ns);
    }

    /** The clone's status, or null while there is no such clone. */
    CloneStatus status(String ns, String name) {
        GenericKubernetesResource r = kube().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(ns)
                .withName(name).get();
        return r == null ? null : VirtualMachineClones.status(r);
    }

    /** Nothing was created in the case's namespace: only what the case seeded, and no VM made by a clone. */
    void assertCreatedNothing(String ns) {
        org.assertj.core.api.Assertions.assertThat(names(ns)).as("objects in " + ns).isEqualTo(seeded(ns));
        org.assertj.core.api.Assertions.assertThat(kube().genericKubernetesResources(io.vmclone.schemas.kube.KubeResources.VIRTUAL_MACHINE)
                .inNamespace(ns).withLabel(io.vmclone.schemas.kube.CloneLabels.CLONE_UID).list().getItems())
                .as("VMs made by a clone").isEmpty();
    }

    /** Every service of the pipeline is still running. */
    void assertServicesRunning() {
        org.assertj.core.api.Assertions.assertThat(pipeline().services())
                .allSatisfy(s -> org.assertj.core.api.Assertions.assertThat(s.loop().running()).as(s.loop().toString()).isTrue());
    }

    Set<String> names(String ns) {
        return names(kube(), ns);
    }

    /**
     * The case's namespace with the sample VM (if it wants one) and its own objects; static, like
     * {@link #names(KubernetesClient, String)}, for the CLI door, which runs no pipeline.
     */
    static void populate(KubeCluster cluster, BadInputCase c) {
        String ns = c.namespace();
        cluster.createNamespace(ns);
        if (c.hasSample()) {
            cluster.apply("/samples/fedora.yaml", ns);
        }
        for (Map<String, Object> manifest : c.objects()) {
            Manifests.createWithStatus(cluster.client(), Json.MAPPER.convertValue(manifest, GenericKubernetesResource.class), ns);
        }
    }

    /** Kind/name of every VM, VMI and DataVolume in {@code ns}. */
    static Set<String> names(KubernetesClient kube, String ns) {
        return Stream.of(KubeResources.VIRTUAL_MACHINE, KubeResources.VIRTUAL_MACHINE_INSTANCE, KubeResources.DATA_VOLUME)
                .flatMap(k -> kube.genericKubernetesResources(k).inNamespace(ns).list().getItems().stream()
                        .map(r -> k.getKind() + "/" + r.getMetadata().getName()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Reverse start order: the services stop before the storage and API they use go away. */
    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (ownsCluster) {
            cluster.close();
        }
    }
}
