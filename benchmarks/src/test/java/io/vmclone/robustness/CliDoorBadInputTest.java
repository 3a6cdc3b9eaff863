package io.vmclone.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.cli.Vmclone;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.MockCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The bad-input corpus through the CLI's dry run: {@code vmclone plan -f clone.yaml --kubeconfig ...}
 * against the CRUD mock holding the case's objects. Every case must exit non-zero with the reason and
 * field on stderr ({@code rejected (<reason>): <field>: ...}, or {@code error: <file>: <field>: ...} for a
 * manifest that is not a clone spec, exit 2), print nothing on stdout and create nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliDoorBadInputTest {
    private static final String DOOR = "cli";

    private MockCluster cluster;
    private KubernetesClient kube;
    private Path kubeconfig;
    @TempDir
    Path dir;

    static Stream<BadInputCase> cases() {
        return BadInputCase.all().stream().filter(c -> c.through(DOOR));
    }

    @BeforeAll
    void startCluster(@TempDir Path config) throws Exception {
        cluster = MockCluster.start();
        kube = cluster.client();
        kubeconfig = cluster.writeKubeconfig(config.resolve("kubeconfig"));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsNonZeroNamingTheReasonAndFieldAndCreatesNothing(BadInputCase c) throws Exception {
        assumeTrue(c.pendingFor(DOOR) == null, () -> "known gap: " + c.pendingFor(DOOR));
        BadInputCase.Expect expect = c.expectFor(DOOR);
        String ns = c.namespace();
        DoorPipeline.populate(cluster, c);
        Set<String> before = DoorPipeline.names(kube, ns);
        ObjectNode clone = Json.MAPPER.createObjectNode();
        clone.put("apiVersion", KubeResources.cloneApiVersion(cluster.cloneGroup()));
        clone.put("kind", KubeResources.CLONE_KIND);
        clone.putObject("metadata").put("name", c.cloneName()).put("namespace", ns);
        if (c.spec() != null) {
            clone.set("spec", c.spec());
        }
        Path file = dir.resolve(c.cloneName() + ".yaml");
        Files.writeString(file, Json.YAML.writeValueAsString(clone));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Vmclone.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("plan", "-f", file.toString(), "--kubeconfig", kubeconfig.toString(), "-n", ns);

        int wanted = expect.status() == null ? Vmclone.FAILED : expect.status();
        assertThat(exit).as("exit code; stderr: " + err).isEqualTo(wanted);
        assertThat(out.toString()).as("stdout").isEmpty();
        if (wanted == Vmclone.FAILED) {
            assertThat(err.toString()).as("stderr").startsWith("rejected (" + expect.reason() + "): " + expect.field() + ": ");
        } else {
            assertThat(err.toString()).as("stderr").startsWith("error: ").contains(expect.field());
        }
        if (expect.message() != null) {
            assertThat(err.toString().toLowerCase()).as("stderr").contains(expect.message().toLowerCase());
        }
        assertThat(DoorPipeline.names(kube, ns)).as("objects in " + ns).isEqualTo(before);
        assertThat(kube.genericKubernetesResources(KubeResources.clones(cluster.cloneGroup())).inNamespace(ns).list().getItems())
                .as("a dry run creates no clone").isEmpty();
    }
}
