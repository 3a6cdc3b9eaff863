package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl's conventions and plain-words failures, against the real API server: {@code -o yaml|json|name|wide}, a CRD
 * that is not installed, a server that cannot be reached, unknown commands and options with suggestions, {@code version},
 * {@code --context} on {@code audit}.
 */
@ExtendWith(RealClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliConventionsOnRealApiTest {
    private static final String NOT_INSTALLED = "not-installed.example.com";
    private final RealCluster cluster;
    private String ns;
    private String kubeconfig;

    CliConventionsOnRealApiTest(RealCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void clones(@TempDir Path dir) throws Exception {
        ns = cluster.newNamespace("cli-o");
        kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig")).toString();
        for (String name : List.of("b-clone", "a-clone")) {
            cluster.client().resource(VirtualMachineClones.newResource(cluster.cloneGroup(), ns, name,
                    CloneSpec.of("fedora", name + "-vm"), Map.of())).create();
        }
    }

    private Cli.Result vmclone(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kubeconfig", kubeconfig, "-n", ns, "--api-group", cluster.cloneGroup()));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void listPrintsNamesYamlAndWideAsKubectlDoes() throws Exception {
        Cli.Result names = vmclone("list", "-o", "name");
        assertThat(names.exit()).as(names.toString()).isZero();
        assertThat(names.out()).isEqualTo("virtualmachineclone." + cluster.cloneGroup() + "/a-clone\n"
                + "virtualmachineclone." + cluster.cloneGroup() + "/b-clone\n");

        Cli.Result yaml = vmclone("list", "-o", "yaml");
        JsonNode list = CliYaml.MAPPER.readTree(yaml.out());
        assertThat(list.path("kind").asText()).isEqualTo("List");
        assertThat(list.path("items").findValuesAsText("name")).contains("a-clone", "b-clone");
        assertThat(list.path("items").get(0).path("spec").path("source").path("name").asText()).isEqualTo("fedora");

        Cli.Result wide = vmclone("list", "-o", "wide");
        assertThat(wide.out().lines().findFirst().orElseThrow()).contains("NAME", "PHASE", "STRATEGY", "STARTED", "COMPLETED");
    }

    @Test
    void statusPrintsTheResourceAsJsonOrItsName() throws Exception {
        Cli.Result json = vmclone("status", "a-clone", "-o", "json");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode clone = Json.MAPPER.readTree(json.out());
        assertThat(clone.path("metadata").path("name").asText()).isEqualTo("a-clone");
        assertThat(clone.path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(vmclone("status", "a-clone", "-o", "name").out()).isEqualTo("virtualmachineclone." + cluster.cloneGroup() + "/a-clone\n");
        assertThat(vmclone("list", "-o", "xml").err()).contains("-o").contains("yaml, json, name, wide");
    }

    @Test
    void cloneAndCreatePrintTheObjectAsAsked() throws Exception {
        Cli.Result created = vmclone("clone", "fedora", "--name", "printed", "-o", "json");
        assertThat(created.exit()).as(created.toString()).isZero();
        JsonNode clone = Json.MAPPER.readTree(created.out());
        assertThat(clone.path("metadata").path("uid").asText()).as("as the API server created it").isNotEmpty();
        assertThat(clone.path("spec").path("source").path("name").asText()).isEqualTo("fedora");
        assertThat(vmclone("clone", "fedora", "--name", "printed-name", "-o", "name").out())
                .isEqualTo("virtualmachineclone." + cluster.cloneGroup() + "/printed-name\n");

        Cli.Result manifest = Cli.run("create", "clone", "--source-name", "fedora", "--name", "m", "-o", "json");
        assertThat(manifest.exit()).as(manifest.toString()).isZero();
        assertThat(Json.MAPPER.readTree(manifest.out()).path("kind").asText()).isEqualTo("VirtualMachineClone");
    }

    @Test
    void aCrdThatIsNotInstalledIsSaidSoByEveryCommandThatNeedsIt() {
        for (String[] command : List.of(new String[] {"list"}, new String[] {"status", "a-clone"},
                new String[] {"clone", "fedora", "--name", "never"})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--kubeconfig", kubeconfig, "-n", ns, "--api-group", NOT_INSTALLED));
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(Vmclone.FAILED);
            assertThat(r.err()).as(String.join(" ", command))
                    .contains("the VirtualMachineClone CRD (virtualmachineclones." + NOT_INSTALLED + ") is not installed on "
                            + cluster.client().getConfiguration().getMasterUrl());
        }
        assertThat(vmclone("status", "no-such-clone").err()).as("a missing clone in an installed group is just not found")
                .contains("virtualmachineclone " + ns + "/no-such-clone not found");
    }

    @Test
    void anUnreachableServerIsNamedWithTheContext(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        Path config = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: gone
                  cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
                users:
                - name: me
                  user: {token: t}
                contexts:
                - name: gone
                  context: {cluster: gone, user: me, namespace: default}
                current-context: gone
                """.formatted(port));
        Cli.Result r = Cli.run("list", "--kubeconfig", config.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(Vmclone.FAILED);
        assertThat(r.err()).contains("cannot reach the Kubernetes API server at https://127.0.0.1:" + port)
                .contains("context 'gone'").doesNotContain("An error has occurred");
    }

    @Test
    void unknownOptionsAndCommandsAreNamedWithSuggestions() {
        Cli.Result option = Cli.run("list", "--contxt", "production");
        assertThat(option.exit()).isEqualTo(Vmclone.USAGE);
        assertThat(option.err()).contains("unknown option '--contxt' for 'vmclone list'").contains("--context")
                .doesNotContain("'production'");

        Cli.Result command = Cli.run("lst");
        assertThat(command.exit()).isEqualTo(Vmclone.USAGE);
        assertThat(command.err()).contains("unknown command 'lst' for 'vmclone'").contains("list");
    }

    @Test
    void planReadsTheCloneFromStandardInputAndTheSourceFromTheCurrentContext() throws Exception {
        cluster.apply("/samples/fedora.yaml", ns);
        String clone = """
                apiVersion: vmclone.io/v1beta1
                kind: VirtualMachineClone
                metadata: {name: from-stdin}
                spec:
                  source: {apiGroup: kubevirt.io, kind: VirtualMachine, name: fedora}
                  target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: fedora-from-stdin}
                """;
        InputStream stdin = System.in;
        String kubeconfigProperty = System.getProperty("kubeconfig");
        try {
            System.setIn(new ByteArrayInputStream(clone.getBytes(StandardCharsets.UTF_8)));
            System.setProperty("kubeconfig", kubeconfig); // what KUBECONFIG would say: the current context is the real server
            Cli.Result r = Cli.run("plan", "-f", "-", "-n", ns, "-o", "json");
            assertThat(r.exit()).as(r.toString()).isZero();
            JsonNode plan = Json.MAPPER.readTree(r.out());
            assertThat(plan.path("targetName").asText()).isEqualTo("fedora-from-stdin");
        } finally {
            System.setIn(stdin);
            if (kubeconfigProperty == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", kubeconfigProperty);
            }
        }
    }

    @Test
    void stoppingWaitSaysTheCloneKeepsRunningAndHowToFollowIt() throws Exception {
        // Its own JVM, stopped as Ctrl-C stops it (SIGTERM and SIGINT both run the shutdown hooks); no pipeline
        // runs here, so the clone waits for ever.
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Vmclone.class.getName(), "clone", "fedora", "--name", "waited",
                "--wait", "--kubeconfig", kubeconfig, "-n", ns, "--api-group", cluster.cloneGroup());
        Path stdout = Files.createTempFile("wait", ".out");
        Path stderr = Files.createTempFile("wait", ".err");
        Process process = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(stdout).contains("created"));
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(Files.readString(stderr)).contains(CloneCommand.interruptedNotice(ns, "waited"));
        assertThat(cluster.client().genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(ns)
                .withName("waited").get()).as("the clone is still there").isNotNull();
    }

    @Test
    void versionAndAuditContext() {
        Cli.Result version = Cli.run("version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("vmclone ").contains("Java " + Runtime.version());

        Cli.Result audit = Cli.run("audit", "a-clone", "--kubeconfig", kubeconfig, "--context", "production-cluster",
                "--bootstrap-servers", "127.0.0.1:1");
        assertThat(audit.exit()).as(audit.toString()).isEqualTo(Vmclone.USAGE);
        assertThat(audit.err()).contains("--context: no context named 'production-cluster'");
    }
}
