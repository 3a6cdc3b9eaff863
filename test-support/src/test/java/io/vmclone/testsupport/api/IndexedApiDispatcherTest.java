package io.vmclone.testsupport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.MockCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The indexed API answers as a real API server does where our services and the load driver depend on it,
 * through the same fabric8 client they use.
 */
class IndexedApiDispatcherTest {
    private MockCluster cluster;
    private KubernetesClient kube;

    @BeforeEach
    void start() {
        cluster = MockCluster.startIndexed();
        kube = cluster.client();
        cluster.createNamespace("x");
        cluster.createNamespace("y");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> vms(String ns) {
        return kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(ns);
    }

    private GenericKubernetesResource vm(String ns, String name, Map<String, String> labels) {
        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setApiVersion("kubevirt.io/v1");
        vm.setKind("VirtualMachine");
        vm.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns).withLabels(labels).build());
        vm.getAdditionalProperties().put("spec", new HashMap<>(Map.of("running", false)));
        return kube.resource(vm).create();
    }

    @Test
    void createStampsIdentityAndASecondCreateIsRefused() {
        GenericKubernetesResource created = vm("x", "a", Map.of());
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(created.getMetadata().getCreationTimestamp()).endsWith("Z");
        assertThat(vms("x").withName("a").get().getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(vms("y").withName("a").get()).as("namespaces are separate").isNull();

        assertThatThrownBy(() -> vm("x", "a", Map.of())).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
        });
        assertThat(vms("x").withName("missing").get()).isNull();
        assertThat(kube.getKubernetesVersion().getGitVersion()).as("readiness probes ask /version").isNotBlank();
    }

    @Test
    void anUpdateWithAStaleResourceVersionIsRefusedAndOnlySpecChangesBumpTheGeneration() {
        GenericKubernetesResource stale = vm("x", "a", Map.of());
        GenericKubernetesResource fresh = vms("x").withName("a").get();
        fresh.getMetadata().setLabels(Map.of("k", "v"));
        GenericKubernetesResource relabelled = vms("x").resource(fresh).update();
        assertThat(relabelled.getMetadata().getGeneration()).as("metadata only").isEqualTo(1L);

        stale.getAdditionalProperties().put("spec", Map.of("running", true));
        assertThatThrownBy(() -> vms("x").resource(stale).update()).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(409));

        relabelled.getAdditionalProperties().put("spec", Map.of("running", true));
        GenericKubernetesResource updated = vms("x").resource(relabelled).update();
        assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(updated.getMetadata().getUid()).isEqualTo(stale.getMetadata().getUid());
        assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(relabelled.getMetadata().getResourceVersion()));
    }

    @Test
    void theCloneStatusIsASubresource() {
        var clones = kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace("x");
        GenericKubernetesResource clone = VirtualMachineClones.newResource(cluster.cloneGroup(), "x", "c", CloneSpec.of("src", "dst"), Map.of());
        clone.getAdditionalProperties().put("status", Map.of("phase", "Succeeded"));
        GenericKubernetesResource created = clones.resource(clone).create();
        assertThat(created.getAdditionalProperties()).as("create ignores status").doesNotContainKey("status");

        created.getAdditionalProperties().put("status", Map.of("phase", "Succeeded"));
        GenericKubernetesResource mainWrite = clones.resource(created).update();
        assertThat(mainWrite.getAdditionalProperties()).as("the main resource cannot write status").doesNotContainKey("status");

        mainWrite.getAdditionalProperties().put("status", Map.of("phase", "Pending"));
        mainWrite.getAdditionalProperties().put("spec", Map.of("source", Map.of("name", "changed")));
        clones.resource(mainWrite).updateStatus();
        GenericKubernetesResource now = clones.withName("c").get();
        assertThat(VirtualMachineClones.status(now).phase()).isEqualTo("Pending");
        assertThat(VirtualMachineClones.spec(now).source().name()).as("a status write leaves spec alone").isEqualTo("src");

        mainWrite.getAdditionalProperties().put("status", Map.of("phase", "Failed"));
        assertThatThrownBy(() -> clones.resource(mainWrite).updateStatus()).as("stale status write")
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void selectorsFilterLists() {
        vm("x", "a", Map.of("app", "db", "tier", "1"));
        vm("x", "b", Map.of("app", "web"));
        vm("x", "c", Map.of());
        vm("y", "d", Map.of("app", "db"));
        assertThat(names(vms("x").withLabel("app", "db").list().getItems())).containsExactly("a");
        assertThat(names(vms("x").withLabelNotIn("app", "db").list().getItems())).containsExactlyInAnyOrder("b", "c");
        assertThat(names(vms("x").withLabelIn("app", "db", "web").list().getItems())).containsExactlyInAnyOrder("a", "b");
        assertThat(names(vms("x").withLabel("tier").list().getItems())).containsExactly("a");
        assertThat(names(vms("x").withoutLabel("app").list().getItems())).containsExactly("c");
        assertThat(names(vms("x").withField("metadata.name", "b").list().getItems())).containsExactly("b");
        assertThat(names(kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inAnyNamespace().withLabel("app", "db").list().getItems()))
                .containsExactlyInAnyOrder("a", "d");
    }

    @Test
    void coreEventsAreSelectedByReasonAndInvolvedObjectAsKubeApiserverAllows() {
        for (String[] e : new String[][] {{"e1", "CloneSourceInUse", "dv-a"}, {"e2", "ProvisioningFailed", "dv-a"}, {"e3", "CloneSourceInUse", "dv-b"}}) {
            kube.v1().events().inNamespace("x").resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName(e[0])
                    .endMetadata().withReason(e[1]).withType("Warning").withNewInvolvedObject().withKind("PersistentVolumeClaim")
                    .withNamespace("x").withName(e[2]).endInvolvedObject().build()).create();
        }
        assertThat(kube.v1().events().inNamespace("x").withField("reason", "CloneSourceInUse").list().getItems())
                .extracting(ev -> ev.getMetadata().getName()).containsExactlyInAnyOrder("e1", "e3");
        assertThat(kube.v1().events().inNamespace("x").withField("reason", "CloneSourceInUse").withField("involvedObject.name", "dv-b")
                .list().getItems()).extracting(ev -> ev.getMetadata().getName()).containsExactly("e3");
    }

    @Test
    void mergeAndJsonPatchesApply() {
        vm("x", "a", Map.of("keep", "1", "drop", "2"));
        vms("x").withName("a").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"drop\":null,\"new\":\"3\"}},\"spec\":{\"running\":true}}");
        GenericKubernetesResource merged = vms("x").withName("a").get();
        assertThat(merged.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("keep", "1", "new", "3"));
        assertThat(merged.getMetadata().getGeneration()).isEqualTo(2L);

        vms("x").withName("a").patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/running\",\"value\":false}]");
        assertThat(((Map<?, ?>) vms("x").withName("a").get().getAdditionalProperties().get("spec")).get("running")).isEqualTo(false);

        assertThatThrownBy(() -> vms("x").withName("a").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"test\",\"path\":\"/spec/running\",\"value\":true}]"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void deleteRemovesOneObjectOrEveryMatchingOne() {
        vm("x", "a", Map.of("run", "1"));
        vm("x", "b", Map.of("run", "1"));
        vm("x", "c", Map.of("run", "2"));
        assertThat(vms("x").withName("a").delete()).hasSize(1);
        assertThat(vms("x").withName("a").get()).isNull();
        assertThat(vms("x").withName("a").delete()).as("already gone").isEmpty();

        vms("x").withLabel("run", "1").delete();
        assertThat(names(vms("x").list().getItems())).containsExactly("c");
    }

    @Test
    void anInformerSeesEveryChangeInOrderWhileWritesGoOn() throws Exception {
        int n = 300;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (KubernetesClient own = cluster.newClient()) {
                for (int i = 0; i < n; i++) {
                    GenericKubernetesResource vm = new GenericKubernetesResource();
                    vm.setApiVersion("kubevirt.io/v1");
                    vm.setKind("VirtualMachine");
                    vm.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("vm-" + i).build());
                    own.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace("x").resource(vm).create();
                    if (i % 3 == 0) {
                        own.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace("x").withName("vm-" + i).delete();
                    }
                }
            }
        });
        Map<String, Long> lastVersion = new ConcurrentHashMap<>();
        List<String> outOfOrder = new CopyOnWriteArrayList<>();
        var informer = vms("x").inform(new ResourceEventHandler<>() {
            private void seen(GenericKubernetesResource o) {
                long rv = Long.parseLong(o.getMetadata().getResourceVersion());
                Long before = lastVersion.put(o.getMetadata().getName(), rv);
                if (before != null && before >= rv) {
                    outOfOrder.add(o.getMetadata().getName());
                }
            }

            @Override
            public void onAdd(GenericKubernetesResource o) {
                seen(o);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource o) {
                seen(o);
            }

            @Override
            public void onDelete(GenericKubernetesResource o, boolean unknownFinalState) {
                seen(o);
            }
        }, 0);
        try {
            writer.get(60, TimeUnit.SECONDS);
            int expected = n - (n + 2) / 3;
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(informer.getStore().list()).hasSize(expected));
            assertThat(names(informer.getStore().list())).doesNotContain("vm-0", "vm-3").contains("vm-1", "vm-" + (n - 1));
            assertThat(outOfOrder).as("changes arrive in resourceVersion order").isEmpty();
        } finally {
            informer.close();
        }
    }

    @Test
    void aWatchFromBeyondTheKeptHistoryIsToldTheVersionIsGone() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new IndexedApiDispatcher(List.of(KubeResources.VIRTUAL_MACHINE), 5), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            var ops = client.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace("x");
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                GenericKubernetesResource vm = new GenericKubernetesResource();
                vm.setApiVersion("kubevirt.io/v1");
                vm.setKind("VirtualMachine");
                vm.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("vm-" + i).build());
                versions.add(ops.resource(vm).create().getMetadata().getResourceVersion());
            }
            CompletableFuture<WatcherException> closed = new CompletableFuture<>();
            List<String> recent = new CopyOnWriteArrayList<>();
            try (var tooOld = ops.watch(new ListOptionsBuilder().withResourceVersion(versions.get(0)).build(), watcher(closed, recent));
                 var recentEnough = ops.watch(new ListOptionsBuilder().withResourceVersion(versions.get(6)).build(), watcher(new CompletableFuture<>(), recent))) {
                assertThat(closed.get(20, TimeUnit.SECONDS).isHttpGone()).isTrue();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(recent).containsExactly("vm-7", "vm-8", "vm-9"));
            }
        } finally {
            server.destroy();
        }
    }

    private static Watcher<GenericKubernetesResource> watcher(CompletableFuture<WatcherException> closed, List<String> seen) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                seen.add(resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.complete(cause);
            }
        };
    }

    private static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
        return items.stream().map(i -> i.getMetadata().getName()).toList();
    }
}
