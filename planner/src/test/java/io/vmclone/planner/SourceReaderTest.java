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

    static void create(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind, String yaml) {
        GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        cluster.client().genericKubernetesResources(kind).inNamespace(r.getMetadata().getNamespace()).resource(r).create();
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
}
