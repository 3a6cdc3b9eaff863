package io.vmclone.realapi;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.sandbox.LocalPipeline;
import io.vmclone.runtime.EventLogReader;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.StorageSimulator;
import io.vmclone.testsupport.kube.RealCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One test's pipeline on the shared real API server: a namespace of its own with the Fedora sample, topics
 * and a Lease of its own, the four services each with its ServiceAccount token, and the simulated CDI.
 */
final class RealPipeline implements AutoCloseable {
    static final Duration BOUND = Duration.ofSeconds(90);

    private final RealCluster cluster;
    private final String ns;
    private final Map<String, String> env;
    private final StorageSimulator storage;
    private LocalPipeline pipeline;

    private RealPipeline(RealCluster cluster, String ns, Map<String, String> env, StorageSimulator storage) {
        this.cluster = cluster;
        this.ns = ns;
        this.env = env;
        this.storage = storage;
    }

    /** Namespace, topics and storage; the services are started by {@link #startServices()}. */
    static RealPipeline prepare(RealCluster cluster, KafkaBroker broker, String prefix, Duration copyTime) {
        String ns = cluster.newNamespace(prefix);
        cluster.apply("/samples/fedora.yaml", ns);
        Map<String, String> env = new HashMap<>(StageSettings.isolatedEnv(broker.bootstrapServers(), prefix, 3));
        env.put(StageSettings.ENV_NAMESPACES, ns); // the shared server holds other tests' clones too
        env.put("VMCLONE_BRIDGE_LEASE_NAME", "bridge-" + ns);
        StorageSimulator storage = new StorageSimulator(cluster.newClient(), copyTime, 2).start();
        return new RealPipeline(cluster, ns, env, storage);
    }

    static RealPipeline start(RealCluster cluster, KafkaBroker broker, String prefix) {
        RealPipeline p = prepare(cluster, broker, prefix, Duration.ZERO);
        p.startServices();
        return p;
    }

    RealPipeline startServices() {
        pipeline = LocalPipeline.start(env, cluster::serviceClient, -1);
        await().atMost(BOUND).until(pipeline::ready);
        return this;
    }

    void stopServices() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    LocalPipeline pipeline() {
        return pipeline;
    }

    String ns() {
        return ns;
    }

    Map<String, String> env() {
        return env;
    }

    String cloneGroup() {
        return cluster.cloneGroup();
    }

    KubernetesClient kube() {
        return cluster.client();
    }

    GenericKubernetesResource createClone(String name, CloneSpec spec) {
        return kube().resource(VirtualMachineClones.newResource(cluster.cloneGroup(), ns, name, spec, Map.of())).create();
    }

    GenericKubernetesResource clone(String name) {
        return kube().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(ns).withName(name).get();
    }

    CloneStatus status(String name) {
        GenericKubernetesResource r = clone(name);
        return r == null ? null : VirtualMachineClones.status(r);
    }

    CloneStatus awaitPhase(String name, String phase) {
        return await().atMost(BOUND).until(() -> status(name), s -> s != null && phase.equals(s.phase()));
    }

    /** The clone's history on the event log, in order. */
    List<EventType> history(String name) {
        return events(name).stream().map(io.vmclone.schemas.CloneEvent::type).toList();
    }

    /** The clone's events on the event log, in order. */
    List<io.vmclone.schemas.CloneEvent> events(String name) {
        return new EventLogReader(StageSettings.from("test", env)).readClone(ns + "/" + name).stream()
                .map(EventLogReader.LoggedEvent::event).toList();
    }

    /** VMs (or other kinds) made by a clone in this test's namespace. */
    List<GenericKubernetesResource> madeByClones(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind) {
        return kube().genericKubernetesResources(kind).inNamespace(ns).withLabel(CloneLabels.CLONE_UID).list().getItems();
    }

    @Override
    public void close() {
        stopServices();
        storage.close();
    }
}
