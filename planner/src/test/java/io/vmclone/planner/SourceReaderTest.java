package io.vmclone.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vmclone.planner.core.PlanInput;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.MockCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@link SourceReader} reads from the cluster into a {@link PlanInput}. */
class SourceReaderTest {
    private static MockCluster cluster;
    private static SourceReader reader;

    @BeforeAll
    static void start() {
        cluster = MockCluster.start();
        reader = new SourceReader(cluster.client());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Created as a controller would leave it: status through the status subresource, as the API requires. */
    static void create(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind, String yaml) {
        GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        io.vmclone.testsupport.Manifests.createWithStatus(cluster.client(), r, r.getMetadata().getNamespace());
    }

    static PlanInput readVm(String ns, String name) {
        return reader.read(new CloneRef(ns, "c-" + name, "uid-" + name), CloneSpec.of(name, name + "-copy"));
    }

    @ParameterizedTest(name = "VMI phase {1} -> running {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "no-vmi    | none      | false",
            "pending   | Pending   | true",
            "scheduled | Scheduled | true",
            "running   | Running   | true",
            "unknown   | Unknown   | true",
            "shut-down | Succeeded | false",
            "crashed   | Failed    | false"})
    void aFinishedInstanceDoesNotMakeTheSourceRun(String name, String phase, boolean running) {
        create(KubeResources.VIRTUAL_MACHINE, """
                {"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine",
                 "metadata": {"name": "%s", "namespace": "run"},
                 "spec": {"runStrategy": "Manual", "template": {"spec": {"domain": {"devices": {}}}}}}
                """.formatted(name));
        if (phase != null) {
            create(KubeResources.VIRTUAL_MACHINE_INSTANCE, """
                    {"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachineInstance",
                     "metadata": {"name": "%s", "namespace": "run"}, "status": {"phase": "%s"}}
                    """.formatted(name, phase));
        }
        PlanInput in = readVm("run", name);
        assertThat(in.sourceVm()).isNotNull();
        assertThat(in.sourceRunning()).isEqualTo(running);
    }

    private static CloneSpec snapshotSpec(String snapshot, String target) {
        return CloneSpec.builder().source(CloneSpec.TypedRef.snapshot(snapshot)).target(CloneSpec.TypedRef.vm(target)).build();
    }

    private static void content(String ns, String name, String snapshot) {
        create(KubeResources.VM_SNAPSHOT_CONTENT, """
                {"apiVersion": "snapshot.kubevirt.io/v1beta1", "kind": "VirtualMachineSnapshotContent",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "spec": {"virtualMachineSnapshotName": "%s", "source": {"virtualMachine": {"metadata": {"name": "vm"},
                   "spec": {"template": {"spec": {"domain": {"devices": {}}}}}}}}}
                """.formatted(name, ns, snapshot));
    }

    @Test
    void aSnapshotSourceIsReadWithTheContentItsStatusNames() {
        create(KubeResources.VM_SNAPSHOT, """
                {"apiVersion": "snapshot.kubevirt.io/v1beta1", "kind": "VirtualMachineSnapshot",
                 "metadata": {"name": "golden", "namespace": "snap"},
                 "status": {"readyToUse": true, "virtualMachineSnapshotContentName": "golden-content"}}
                """);
        content("snap", "golden-content", "golden");
        PlanInput in = reader.read(new CloneRef("snap", "c", "uid-c"), snapshotSpec("golden", "from-golden"));
        assertThat(in.snapshot().at("/metadata/name").asText()).isEqualTo("golden");
        assertThat(in.snapshotContent().at("/metadata/name").asText()).isEqualTo("golden-content");
        assertThat(in.sourceVm()).as("the VM comes from the content").isNull();
    }

    @Test
    void aSnapshotWhoseStatusNamesNoContentIsReadWithKubevirtsDefaultName() {
        create(KubeResources.VM_SNAPSHOT, """
                {"apiVersion": "snapshot.kubevirt.io/v1beta1", "kind": "VirtualMachineSnapshot",
                 "metadata": {"name": "early", "namespace": "snap"}, "status": {"readyToUse": false}}
                """);
        String uid = cluster.client().genericKubernetesResources(KubeResources.VM_SNAPSHOT).inNamespace("snap").withName("early")
                .get().getMetadata().getUid();
        content("snap", "vmsnapshot-content-" + uid, "early");
        PlanInput in = reader.read(new CloneRef("snap", "c2", "uid-c2"), snapshotSpec("early", "from-early"));
        assertThat(in.snapshotContent().at("/metadata/name").asText()).isEqualTo("vmsnapshot-content-" + uid);
    }

    private static void pvc(String ns, String name, String labelledFor) {
        var meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns);
        if (labelledFor != null) {
            meta.addToLabels(io.vmclone.planner.core.BackendStorage.LABEL, labelledFor);
        }
        cluster.client().persistentVolumeClaims().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withMetadata(meta.build()).withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build()).create();
    }

    private static void vm(String ns, String name, String devices) {
        create(KubeResources.VIRTUAL_MACHINE, """
                {"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine", "metadata": {"name": "%s", "namespace": "%s"},
                 "spec": {"runStrategy": "Halted", "template": {"spec": {"domain": {"devices": %s}}}}}
                """.formatted(name, ns, devices));
    }

    private static java.util.List<String> stateClaimNames(PlanInput in) {
        return in.stateClaims().stream().map(c -> c.at("/metadata/name").asText()).sorted().toList();
    }

    @ParameterizedTest(name = "backendStorage {0}")
    @CsvSource(nullValues = "unset", delimiter = '|', value = {
            "unset | persistent-state-for-tpm-2-legacy,persistent-state-for-tpm-2-xyz12",
            "Fresh | persistent-state-for-tpm-2-legacy,persistent-state-for-tpm-2-xyz12",
            "Copy  | persistent-state-for-tpm,persistent-state-for-tpm-2-legacy,persistent-state-for-tpm-2-xyz12,persistent-state-for-tpm-abc12"})
    void persistentStateClaimsOfTheTargetNameAndToCopyOfTheSourceAreRead(String mode, String expected) {
        String ns = "state-" + (mode == null ? "unset" : mode.toLowerCase());
        vm(ns, "tpm", "{\"tpm\": {\"persistent\": true}}");
        pvc(ns, "persistent-state-for-tpm-abc12", "tpm");
        pvc(ns, "persistent-state-for-tpm", null);
        pvc(ns, "persistent-state-for-tpm-2-xyz12", "tpm-2");
        pvc(ns, "persistent-state-for-tpm-2-legacy", "tpm-2");
        pvc(ns, "persistent-state-for-other-qqq11", "other");
        CloneSpec spec = CloneSpec.builder().source(CloneSpec.TypedRef.vm("tpm")).target(CloneSpec.TypedRef.vm("tpm-2"))
                .backendStorage(mode).build();
        PlanInput in = reader.read(new CloneRef(ns, "c", "uid-c"), spec);
        assertThat(stateClaimNames(in)).containsExactly(expected.split(","));
    }

    @Test
    void noStateClaimsAreReadForASourceWithoutBackendStorage() {
        vm("state-none", "plain", "{\"tpm\": {\"enabled\": false, \"persistent\": true}}");
        pvc("state-none", "persistent-state-for-plain-abc12", "plain");
        pvc("state-none", "persistent-state-for-plain-2-abc12", "plain-2");
        CloneSpec spec = CloneSpec.builder().source(CloneSpec.TypedRef.vm("plain")).target(CloneSpec.TypedRef.vm("plain-2"))
                .backendStorage("Copy").build();
        assertThat(reader.read(new CloneRef("state-none", "c", "uid-c"), spec).stateClaims()).isEmpty();
    }
}
