package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.BridgeSettings;
import io.vmclone.executor.ExecutorHandler;
import io.vmclone.planner.PlannerHandler;
import io.vmclone.runtime.ApiCallMetrics;
import io.vmclone.runtime.ApiCalls;
import io.vmclone.runtime.StageContext;
import io.vmclone.runtime.StageHandler;
import io.vmclone.runtime.StageService;
import io.vmclone.runtime.StageSettings;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.status.StatusReporterHandler;
import io.vmclone.status.StatusReporterMain;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import io.vmclone.testsupport.MockCluster;
import io.vmclone.testsupport.StorageSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The RBAC list is checked against what the services really do: the four services run a clone to the end
 * and cancel another, each through a Kubernetes client that counts its calls, and every call made must
 * be in {@link ApiCalls} for that service (which {@link DeployManifestsTest} holds the manifests to).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ObservedApiCallsTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String NS = Requests.NS;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<String, PrometheusMeterRegistry> registries = new LinkedHashMap<>();
    private MockCluster cluster;
    private KubernetesClient kube;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyCallTheServicesMakeIsOneTheirRbacAllows(KafkaBroker broker) {
        cluster = MockCluster.start();
        kube = cluster.client();
        Map<String, String> env = Requests.with(Requests.env(broker, 2), BridgeSettings.ENV_HTTP_PORT, "0");
        Map<String, Function<StageContext, StageHandler>> stages = new LinkedHashMap<>();
        stages.put(BridgeHandler.STAGE, BridgeHandler::new);
        stages.put(PlannerHandler.STAGE, PlannerHandler::new);
        stages.put(ExecutorHandler.STAGE, ExecutorHandler::new);
        stages.put(StatusReporterMain.SERVICE, StatusReporterHandler::new);
        List<StageService> services = new ArrayList<>();
        stages.forEach((name, factory) -> {
            PrometheusMeterRegistry registry = StageService.newRegistry(StageSettings.from(name, env).topics());
            registries.put(name, registry);
            KubernetesClient client = ApiCallMetrics.instrument(new KubernetesClientBuilder(), registry)
                    .withConfig(new ConfigBuilder().withMasterUrl(cluster.url()).build()).build();
            open.add(client);
            StageService s = StageService.start(StageSettings.from(name, env), client, factory, -1, registry);
            open.add(s);
            services.add(s);
        });
        await().atMost(BOUND).until(() -> services.stream().allMatch(s -> s.loop().ready()));

        Requests.sampleVm(cluster);
        // One clone to the end ...
        createClone("done", "fedora", "done-copy");
        GenericKubernetesResource dv = await().atMost(BOUND).until(() -> dataVolumeOf("done-copy"), d -> d != null);
        StorageSimulator.setPhase(kube, NS, dv.getMetadata().getName(), "Succeeded", "100.0%");
        await().atMost(BOUND).until(() -> phase("done"), "Succeeded"::equals);
        // ... and one cancelled while its disk copies: the executor removes what it made.
        createClone("gone", "fedora", "gone-copy");
        await().atMost(BOUND).until(() -> dataVolumeOf("gone-copy"), d -> d != null);
        kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(NS).withName("gone").delete();
        await().atMost(BOUND).until(() -> vm("gone-copy") == null && dataVolumeOf("gone-copy") == null);

        stages.keySet().forEach(s -> System.out.println("observed API calls of " + s + ": " + observed(s)));
        Map<String, List<ApiCalls.ApiCall>> allowed = ApiCalls.byService(cluster.cloneGroup());
        for (String service : stages.keySet()) {
            Set<String> mayDo = new TreeSet<>();
            allowed.get(service).forEach(c -> c.verbs().forEach(v -> mayDo.add(v + " " + c.group() + "/" + c.resource())));
            assertThat(observed(service)).as("API calls %s made (see io.vmclone.runtime.ApiCalls)", service).isSubsetOf(mayDo);
        }
        // The calls that matter were seen, so the check above is not vacuous.
        assertThat(observed(BridgeHandler.STAGE)).contains("list vmclone.io/virtualmachineclones", "watch vmclone.io/virtualmachineclones");
        assertThat(observed(PlannerHandler.STAGE)).contains("get kubevirt.io/virtualmachines", "get /persistentvolumeclaims");
        assertThat(observed(ExecutorHandler.STAGE)).contains("create kubevirt.io/virtualmachines", "create cdi.kubevirt.io/datavolumes",
                "watch cdi.kubevirt.io/datavolumes", "delete kubevirt.io/virtualmachines");
        assertThat(observed(StatusReporterMain.SERVICE)).contains("update vmclone.io/virtualmachineclones/status", "create /events");
    }

    /** "verb group/resource" of every resource call the service's client made (not /version or discovery). */
    private Set<String> observed(String service) {
        Set<String> calls = new TreeSet<>();
        for (Meter m : registries.get(service).find("vmclone.kube.requests").meters()) {
            String resource = m.getId().getTag("resource");
            boolean nonResource = resource.equals("/version") || resource.startsWith("/api"); // discovery
            if (!nonResource) {
                calls.add(m.getId().getTag("verb") + " " + resource);
            }
        }
        return calls;
    }

    private void createClone(String name, String source, String target) {
        kube.resource(VirtualMachineClones.newResource(cluster.cloneGroup(), NS, name, CloneSpec.of(source, target), Map.of())).create();
    }

    private String phase(String clone) {
        GenericKubernetesResource r = kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(NS)
                .withName(clone).get();
        CloneStatus status = r == null ? null : VirtualMachineClones.status(r);
        return status == null ? null : status.phase();
    }

    private GenericKubernetesResource vm(String name) {
        return kube.genericKubernetesResources(KubeResources.VIRTUAL_MACHINE).inNamespace(NS).withName(name).get();
    }

    /** The DataVolume the executor created for the clone whose target is {@code targetVm}. */
    private GenericKubernetesResource dataVolumeOf(String targetVm) {
        GenericKubernetesResource vm = vm(targetVm);
        if (vm == null || vm.getMetadata().getLabels() == null) {
            return null;
        }
        String uid = vm.getMetadata().getLabels().get(CloneLabels.CLONE_UID);
        return kube.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(NS).withLabel(CloneLabels.CLONE_UID, uid).list()
                .getItems().stream().findFirst().orElse(null);
    }
}
