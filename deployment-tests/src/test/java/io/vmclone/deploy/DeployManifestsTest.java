package io.vmclone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vmclone.runtime.ApiCalls;
import io.vmclone.runtime.SettingsCatalogue;
import io.vmclone.schemas.kube.CloneCrd;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.sets.CloneSetCrd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loads every manifest under deploy/ with fabric8 and checks it against what the services do. */
class DeployManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String NAMESPACE = "vmclone";
    private static List<HasMetadata> base;

    @BeforeAll
    static void load() throws Exception {
        base = new ArrayList<>();
        for (Path file : ProjectFiles.files("deploy/base", ".yaml")) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                base.addAll(objects(file));
            }
        }
    }

    static List<HasMetadata> objects(Path file) throws Exception {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                Object o = Serialization.unmarshal(doc);
                assertThat(o).as("%s holds Kubernetes objects", file).isInstanceOf(HasMetadata.class);
                out.add((HasMetadata) o);
            }
        }
        return out;
    }

    private static <T extends HasMetadata> List<T> all(Class<T> type) {
        return base.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void kustomizationListsEveryManifestAndTagsImagesWithTheProjectVersion() throws Exception {
        JsonNode k = YAML.readTree(ProjectFiles.read("deploy/base/kustomization.yaml"));
        Set<String> listed = new TreeSet<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = new TreeSet<>();
        Path dir = ProjectFiles.root().resolve("deploy/base");
        for (Path f : ProjectFiles.files("deploy/base", ".yaml")) {
            if (!f.getFileName().toString().equals("kustomization.yaml")) {
                present.add(dir.relativize(f).toString().replace('\\', '/'));
            }
        }
        assertThat(listed).isEqualTo(present);
        Set<String> images = new TreeSet<>();
        k.path("images").forEach(i -> {
            images.add(i.path("name").asText() + ":" + i.path("newTag").asText());
        });
        Set<String> built = new TreeSet<>();
        ProjectFiles.SERVICES.forEach(s -> built.add(ImageProfileTest.imageOf(s)));
        assertThat(images).isEqualTo(built);
        for (Deployment d : all(Deployment.class)) {
            String image = container(d).getImage();
            assertThat(built).as("image of %s", d.getMetadata().getName()).anyMatch(b -> b.startsWith(image + ":"));
        }
    }

    @Test
    void overlaysReferenceFilesThatExistAndParse() throws Exception {
        for (Path k : ProjectFiles.files("deploy/overlays", "kustomization.yaml")) {
            JsonNode node = YAML.readTree(k.toFile());
            List<String> refs = new ArrayList<>();
            node.path("resources").forEach(r -> refs.add(r.asText()));
            node.path("patches").forEach(p -> refs.add(p.path("path").asText()));
            for (String ref : refs) {
                Path target = k.getParent().resolve(ref).normalize();
                assertThat(target).as("%s in %s", ref, k).exists();
                if (Files.isRegularFile(target)) {
                    List<HasMetadata> patched = objects(target);
                    assertThat(patched).as(ref).isNotEmpty();
                    // Settings an overlay adds must be ones the services read (here: Kafka pass-through).
                    patched.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                            .forEach(cm -> assertThat(cm.getData().keySet()).allSatisfy(v -> ProjectFiles.SERVICES.forEach(
                                    svc -> assertThat(SettingsCatalogue.reads(svc, v)).as("%s reads %s", svc, v).isTrue())));
                }
            }
        }
    }

    @Test
    void crdIsTheOneTheSchemasModuleShips() throws Exception {
        String deployed = ProjectFiles.read("deploy/base/crd/virtualmachineclones.yaml");
        assertThat(deployed).as("copy schemas/src/main/resources/crd/virtualmachineclones.yaml to deploy/base/crd/")
                .isEqualTo(CloneCrd.yaml(KubeResources.DEFAULT_CLONE_GROUP));
        assertThat(named(CustomResourceDefinition.class, "virtualmachineclones.vmclone.io").getSpec().getGroup())
                .isEqualTo(KubeResources.DEFAULT_CLONE_GROUP);
        assertThat(ProjectFiles.read("deploy/base/crd/virtualmachineclonesets.yaml"))
                .as("copy schemas/src/main/resources/crd/virtualmachineclonesets.yaml to deploy/base/crd/")
                .isEqualTo(CloneSetCrd.yaml());
    }

    @Test
    void rbacOfEachServiceIsExactlyTheCallsItMakes() {
        var calls = ApiCalls.byService(KubeResources.DEFAULT_CLONE_GROUP);
        assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(ProjectFiles.SERVICES);
        for (String service : ProjectFiles.SERVICES) {
            String sa = "vmclone-" + service;
            named(ServiceAccount.class, sa);
            Set<String> expected = new TreeSet<>();
            calls.get(service).forEach(c -> c.verbs().forEach(v -> expected.add(c.group() + "/" + c.resource() + ":" + v)));
            assertThat(granted(sa)).as("RBAC granted to %s vs io.vmclone.runtime.ApiCalls", sa).isEqualTo(expected);
        }
    }

    @Test
    void noRuleUsesWildcardsOrNonResourceUrls() {
        List<PolicyRule> rules = new ArrayList<>();
        all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        all(Role.class).forEach(r -> rules.addAll(r.getRules()));
        assertThat(rules).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getVerbs()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*");
            assertThat(r.getApiGroups()).doesNotContain("*");
            assertThat(r.getNonResourceURLs()).isNullOrEmpty();
            assertThat(r.getResourceNames()).isNullOrEmpty();
        });
    }

    @Test
    void deploymentsRunAsTheirServiceAccountNonRootWithProbesAndRequests() {
        assertThat(all(Deployment.class)).hasSize(ProjectFiles.SERVICES.size());
        for (String service : ProjectFiles.SERVICES) {
            Deployment d = named(Deployment.class, "vmclone-" + service);
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getServiceAccountName()).isEqualTo("vmclone-" + service);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
            Container c = container(d);
            assertThat(path(c.getLivenessProbe())).isEqualTo("/healthz");
            assertThat(path(c.getReadinessProbe())).isEqualTo("/readyz");
            assertThat(c.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        }
    }

    @Test
    void everyVariableGivenToAServiceIsASettingItReads() {
        ConfigMap config = named(ConfigMap.class, "vmclone-config");
        for (String service : ProjectFiles.SERVICES) {
            Container c = container(named(Deployment.class, "vmclone-" + service));
            Set<String> vars = new HashSet<>(c.getEnv().stream().map(EnvVar::getName).toList());
            c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                    .forEach(e -> vars.addAll(named(ConfigMap.class, e.getConfigMapRef().getName()).getData().keySet()));
            assertThat(vars).as(service).contains(io.vmclone.runtime.StageSettings.ENV_BOOTSTRAP)
                    .allSatisfy(v -> assertThat(SettingsCatalogue.reads(service, v)).as("%s reads %s", service, v).isTrue());
        }
        assertThat(config.getData()).containsKey(io.vmclone.runtime.StageSettings.ENV_BOOTSTRAP);
    }

    @Test
    void scaledServicesHaveADisruptionBudgetAndBridgesElectTheirWatcher() {
        for (Deployment d : all(Deployment.class)) {
            String name = d.getMetadata().getName();
            List<PodDisruptionBudget> pdbs = all(PodDisruptionBudget.class).stream()
                    .filter(p -> p.getSpec().getSelector().getMatchLabels().equals(d.getSpec().getSelector().getMatchLabels())).toList();
            if (d.getSpec().getReplicas() > 1) {
                assertThat(pdbs).as(name).singleElement()
                        .satisfies(p -> assertThat(p.getSpec().getMinAvailable().getIntVal()).isLessThan(d.getSpec().getReplicas()));
            } else {
                assertThat(pdbs).as("a PDB on a single replica would block node drains: %s", name).isEmpty();
            }
        }
        // Bridge replicas elect the one that watches clones through a Lease in their own namespace.
        Deployment bridge = named(Deployment.class, "vmclone-bridge");
        assertThat(bridge.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("VMCLONE_BRIDGE_LEASE_NAMESPACE");
                    assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
                });
    }

    /** group/resource:verb granted to the service account through (Cluster)RoleBindings. */
    private static Set<String> granted(String serviceAccount) {
        Set<String> out = new TreeSet<>();
        for (ClusterRoleBinding b : all(ClusterRoleBinding.class)) {
            if (bindsTo(b.getSubjects(), serviceAccount)) {
                rules(named(ClusterRole.class, b.getRoleRef().getName()).getRules(), out);
            }
        }
        for (RoleBinding b : all(RoleBinding.class)) {
            if (bindsTo(b.getSubjects(), serviceAccount)) {
                var rules = "ClusterRole".equals(b.getRoleRef().getKind())
                        ? named(ClusterRole.class, b.getRoleRef().getName()).getRules()
                        : named(Role.class, b.getRoleRef().getName()).getRules();
                rules(rules, out);
            }
        }
        return out;
    }

    private static boolean bindsTo(List<Subject> subjects, String serviceAccount) {
        return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && serviceAccount.equals(s.getName())
                && NAMESPACE.equals(s.getNamespace()));
    }

    private static void rules(List<PolicyRule> rules, Set<String> out) {
        for (PolicyRule r : rules) {
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String v : r.getVerbs()) {
                        out.add(g + "/" + res + ":" + v);
                    }
                }
            }
        }
    }

    private static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as(d.getMetadata().getName()).hasSize(1);
        return containers.get(0);
    }

    private static String path(Probe probe) {
        assertThat(probe).isNotNull();
        return probe.getHttpGet().getPath();
    }
}
