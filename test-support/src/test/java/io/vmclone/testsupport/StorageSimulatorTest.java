package io.vmclone.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.CdiEvents;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated CDI writes what CDI writes, for each behaviour a test can pick. */
class StorageSimulatorTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String NS = "x";

    private MockCluster cluster;
    private KubernetesClient kube;
    private StorageSimulator storage;
    private SharedIndexInformer<GenericKubernetesResource> watch;
    /** Every DataVolume status seen, as {@code name phase progress}. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = MockCluster.start();
        kube = cluster.client();
        cluster.createNamespace(NS);
        watch = kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(NS).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource dv) {
                record(dv);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource dv) {
                record(dv);
            }

            @Override
            public void onDelete(GenericKubernetesResource dv, boolean unknown) {}
        });
        storage = new StorageSimulator(kube, Duration.ofMillis(400), 3).start();
    }

    private void record(GenericKubernetesResource dv) {
        if (dv.getAdditionalProperties().get("status") instanceof Map<?, ?> s) {
            seen.add(dv.getMetadata().getName() + " " + s.get("phase") + " " + s.get("progress"));
        }
    }

    @AfterEach
    void stop() {
        storage.close();
        watch.close();
        cluster.close();
    }

    private void createDataVolume(String name, String storageClass, Map<String, String> annotations) {
        GenericKubernetesResource dv = new GenericKubernetesResource();
        dv.setApiVersion("cdi.kubevirt.io/v1beta1");
        dv.setKind("DataVolume");
        dv.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withLabels(Map.of("vmclone.io/clone-uid", "u1"))
                .withAnnotations(annotations).build());
        dv.setAdditionalProperty("spec", Map.of("source", Map.of("pvc", Map.of("namespace", NS, "name", "src")),
                "storage", Map.of("storageClassName", storageClass, "resources", Map.of("requests", Map.of("storage", "2Gi")))));
        kube.resource(dv).create();
    }

    private Map<?, ?> status(String name) {
        GenericKubernetesResource dv = kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(NS).withName(name).get();
        return dv != null && dv.getAdditionalProperties().get("status") instanceof Map<?, ?> s ? s : Map.of();
    }

    private void awaitPhase(String name, String phase) {
        await().atMost(BOUND).until(() -> phase.equals(status(name).get("phase")));
    }

    private List<String> seen(String name) {
        return seen.stream().filter(s -> s.startsWith(name + " ")).map(s -> s.substring(name.length() + 1)).distinct().toList();
    }

    @Test
    void byDefaultASmartCloneWithoutPercentagesAndTheClaimAndAnnotationsCdiWrites() {
        createDataVolume("smart", "standard", Map.of());

        awaitPhase("smart", "Succeeded");
        assertThat(seen("smart")).containsExactly("CloneScheduled N/A", "SnapshotForSmartCloneInProgress N/A",
                "CloneFromSnapshotSourceInProgress N/A", "Succeeded 100.0%");
        PersistentVolumeClaim claim = kube.persistentVolumeClaims().inNamespace(NS).withName("smart").get();
        assertThat(claim.getMetadata().getLabels()).as("CDI copies the DataVolume's labels").containsEntry("vmclone.io/clone-uid", "u1");
        assertThat(claim.getMetadata().getAnnotations()).containsEntry(CdiAnnotations.CLONE_TYPE, "snapshot")
                .doesNotContainKey(CdiAnnotations.CLONE_FALLBACK_REASON);
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        GenericKubernetesResource dv = kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(NS).withName("smart").get();
        assertThat(dv.getMetadata().getAnnotations()).containsEntry(CdiAnnotations.CLONE_TYPE, "snapshot");
        assertThat(((List<?>) status("smart").get("conditions")).stream().map(c -> String.valueOf(((Map<?, ?>) c).get("type"))).toList())
                .containsExactly("Bound", "Ready", "Running");
    }

    @Test
    void theStorageClassOrTheDataVolumePicksTheStrategyAndTheFallback() {
        createDataVolume("csi", "csi-clone", Map.of());
        createDataVolume("fellback", "no-snapshots", Map.of());
        createDataVolume("copy", "standard", Map.of(CdiAnnotations.STORAGE_CLASS_CLONE_STRATEGY, "copy"));

        awaitPhase("csi", "Succeeded");
        awaitPhase("fellback", "Succeeded");
        awaitPhase("copy", "Succeeded");
        assertThat(seen("csi")).containsExactly("CloneScheduled N/A", "CSICloneInProgress N/A", "Succeeded 100.0%");
        assertThat(seen("fellback")).containsExactly("CloneScheduled N/A", "CloneInProgress 25.00%", "CloneInProgress 50.00%",
                "CloneInProgress 75.00%", "Succeeded 100.0%");
        assertThat(kube.persistentVolumeClaims().inNamespace(NS).withName("fellback").get().getMetadata().getAnnotations())
                .containsEntry(CdiAnnotations.CLONE_TYPE, "copy")
                .containsEntry(CdiAnnotations.CLONE_FALLBACK_REASON, "No compatible volumesnapshotclass found");
        assertThat(kube.persistentVolumeClaims().inNamespace(NS).withName("copy").get().getMetadata().getAnnotations())
                .containsEntry(CdiAnnotations.CLONE_TYPE, "copy").doesNotContainKey(CdiAnnotations.CLONE_FALLBACK_REASON);
    }

    @Test
    void aClaimTheCsiDriverRefusesIsNeverBound() {
        createDataVolume("refused", "refuses-clones", Map.of());

        await().atMost(BOUND).until(() -> String.valueOf(status("refused").get("conditions")).contains("failed to provision"));
        assertThat(status("refused").get("phase")).isEqualTo("CSICloneInProgress");
        assertThat(status("refused").get("progress")).isEqualTo("N/A");
        Map<?, ?> bound = (Map<?, ?>) ((List<?>) status("refused").get("conditions")).get(0);
        assertThat(bound.get("status")).isEqualTo("False");
        assertThat(bound.get("message").toString()).startsWith("target PVC refused Pending and [tmp-pvc-")
                .endsWith("failed to provision volume with StorageClass \"refuses-clones\": "
                        + "rpc error: code = InvalidArgument desc = replication factor of source and target differ");
        assertThat(kube.persistentVolumeClaims().inNamespace(NS).withName("refused").get().getStatus())
                .satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat(s.getPhase()).isNotEqualTo("Bound"));
    }

    @Test
    void aRunningPodOnTheSourceHoldsTheCloneWithCdisWarningUntilItIsGone() {
        kube.pods().inNamespace(NS).resource(pod("backup", "src", false, "Running")).create();

        createDataVolume("held", "standard", Map.of());

        Event warning = await().atMost(BOUND).until(() -> kube.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> CdiEvents.CLONE_SOURCE_IN_USE.equals(e.getReason())).findFirst().orElse(null), e -> e != null);
        assertThat(warning.getType()).isEqualTo("Warning");
        assertThat(warning.getMessage()).isEqualTo("pod x/backup using PersistentVolumeClaim src");
        assertThat(warning.getInvolvedObject().getKind()).isEqualTo("PersistentVolumeClaim");
        assertThat(warning.getInvolvedObject().getName()).isEqualTo("held");
        assertThat(warning.getInvolvedObject().getUid())
                .isEqualTo(kube.persistentVolumeClaims().inNamespace(NS).withName("held").get().getMetadata().getUid());
        await().atMost(BOUND).until(() -> String.valueOf(status("held").get("conditions"))
                .contains("target PVC held Pending and pod x/backup using PersistentVolumeClaim src"));
        assertThat(status("held").get("phase")).isEqualTo("CloneScheduled");

        kube.pods().inNamespace(NS).withName("backup").delete();

        awaitPhase("held", "Succeeded");
    }

    @Test
    void whoHoldsASourceAsCdiCounts() {
        GenericKubernetesResource runningVmi = vmi("web", "Running", "dataVolume", Map.of("name", "src"));
        // table: pods, VMIs -> the pod CDI waits for
        Object[][] table = {
                {List.of(pod("backup", "src", false, "Running")), List.of(), "x/backup"},
                {List.of(pod("backup", "src", false, "Pending")), List.of(), "x/backup"}, // not finished: still holds it
                {List.of(pod("reader", "src", true, "Running")), List.of(), null}, // read-only: CDI clones beside it
                {List.of(pod("done", "src", false, "Succeeded")), List.of(), null},
                {List.of(pod("other", "other-claim", false, "Running")), List.of(), null},
                {List.of(), List.of(runningVmi), "x/virt-launcher-web"},
                {List.of(), List.of(vmi("old", "Succeeded", "persistentVolumeClaim", Map.of("claimName", "src"))), null},
                {List.of(), List.of(vmi("db", "Scheduling", "persistentVolumeClaim", Map.of("claimName", "src"))), "x/virt-launcher-db"},
        };
        for (Object[] row : table) {
            @SuppressWarnings("unchecked")
            Optional<String> user = SourceUsers.podUsing("src", (List<Pod>) row[0], (List<GenericKubernetesResource>) row[1]);
            assertThat(user).as(String.valueOf(row[0]) + row[1]).isEqualTo(Optional.ofNullable((String) row[2]));
        }
    }

    @Test
    void modesResolveDataVolumeFirstThenStorageClassThenCdisDefault() {
        String reason = "The volume modes of source and target are incompatible";
        // table: DataVolume annotations, StorageClass annotations -> mode
        Object[][] table = {
                {Map.of(), Map.of(), SimulatedCloneMode.SMART_CLONE},
                {Map.of(), Map.of(CdiAnnotations.STORAGE_CLASS_CLONE_STRATEGY, "csi-clone"), new SimulatedCloneMode("csi-clone", null, null)},
                {Map.of(CdiAnnotations.STORAGE_CLASS_CLONE_STRATEGY, "copy"), Map.of(CdiAnnotations.STORAGE_CLASS_CLONE_STRATEGY, "csi-clone"),
                        new SimulatedCloneMode("copy", null, null)},
                {Map.of(SimulatedCloneMode.FALLBACK_REASON, reason), Map.of(), new SimulatedCloneMode("copy", reason, null)},
                {Map.of(), Map.of(SimulatedCloneMode.CSI_CLONE_ERROR, "no"), new SimulatedCloneMode("csi-clone", null, "no")},
                {Map.of(CdiAnnotations.STORAGE_CLASS_CLONE_STRATEGY, "network"), Map.of(), SimulatedCloneMode.SMART_CLONE},
        };
        for (Object[] row : table) {
            @SuppressWarnings("unchecked")
            SimulatedCloneMode mode = SimulatedCloneMode.of((Map<String, String>) row[0], (Map<String, String>) row[1]);
            assertThat(mode).as(row[0] + " over " + row[1]).isEqualTo(row[2]);
        }
    }

    private static Pod pod(String name, String claim, boolean readOnly, String phase) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
                .addNewVolume().withName("disk").withNewPersistentVolumeClaim().withClaimName(claim).withReadOnly(readOnly)
                .endPersistentVolumeClaim().endVolume().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    private static GenericKubernetesResource vmi(String name, String phase, String kind, Map<String, String> source) {
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        vmi.setAdditionalProperty("spec", Map.of("volumes", List.of(Map.of("name", "rootdisk", kind, source))));
        vmi.setAdditionalProperty("status", Map.of("phase", phase));
        return vmi;
    }
}
