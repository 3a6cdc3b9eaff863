package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmclone.cli.sandbox.SandboxCluster;
import io.vmclone.cli.sandbox.SandboxEnvironment;
import io.vmclone.cli.sandbox.SandboxRun;
import io.vmclone.cli.sandbox.Scenario;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import io.vmclone.testsupport.KafkaBroker;
import io.vmclone.testsupport.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code vmclone sandbox} end to end: the scripted clones run on the real pipeline and the exit code tells. */
@ExtendWith(KafkaBrokerExtension.class)
class SandboxTest {

    @ParameterizedTest
    @ValueSource(strings = {"mock", "real"})
    void sandboxRunsEveryScriptedCloneAndExitsZero(String api, KafkaBroker broker, @TempDir Path dir) {
        // The test JVM's broker, not a second one (the sandbox suffixes its topics so nothing mixes).
        Cli.Result r = Cli.run("sandbox", "--api", api, "--dir", dir.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--storage-seconds", "1.5", "--timeout", "90");
        System.out.println(r); // the sandbox's story, kept in the test report

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(api.equals("real") ? "real kube-apiserver v1." : "in-memory (fabric8 mock)");
        assertThat(r.out()).contains("SIMULATED")
                .contains("fedora-clone").contains("database-clone").contains("illegal-clone")
                // the simulated CDI's default, a smart clone: no percentage until done, the strategy named
                .containsPattern("fedora-clone\\s+CloningVolumes\\s+N/A, 0 of 1 volume done  rootdisk: \\w+ \\(snapshot\\)")
                .containsPattern("database-clone\\s+Succeeded")
                .containsPattern("illegal-clone\\s+Failed\\s+InvalidSpec")
                .contains("[ ok ] database-clone: NIC default has MAC 02:00:00:00:00:01")
                .doesNotContain("[FAIL]")
                .contains("Audit timeline").contains("requested").contains("planned").contains("succeeded").contains("rejected")
                .contains("every expected outcome happened");
    }

    @Test
    void anUnmetExpectationIsReportedAndCounted(KafkaBroker broker, @TempDir Path dir) throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        try (SandboxEnvironment env = SandboxEnvironment.start(broker.bootstrapServers(), "default", SandboxCluster.Api.MOCK, dir,
                Duration.ZERO, out)) {
            // Wrong on purpose: an illegal clone "expected" to succeed must make the run fail.
            Scenario wrong = new Scenario("wrong-clone", "cirros into cirros, wrongly expected to succeed",
                    CloneSpec.of("cirros", "cirros"),
                    List.of(new Scenario.Check("ends Succeeded", ctx -> "Succeeded".equals(ctx.observation().status().phase())
                            ? null : "ended " + ctx.observation().status().phase())));
            List<String> failures = new SandboxRun(env, "default", out, System.nanoTime()).run(List.of(wrong), Duration.ofSeconds(60));

            assertThat(failures).singleElement().asString().contains("wrong-clone").contains("ended Failed");
            assertThat(text.toString()).contains("[FAIL] wrong-clone: ends Succeeded -- ended Failed");

            // What --keep-running tells users to try: an external request over HTTP with the sandbox token.
            assertThat(env.bridgeUrl()).isNotNull();
            Cli.Result denied = Cli.run("request", "cirros", "--target", "cirros-denied", "--http", env.bridgeUrl(), "--token", "wrong");
            assertThat(denied.exit()).as(denied.toString()).isEqualTo(1);
            assertThat(denied.err()).contains("HTTP 401");
            Cli.Result accepted = Cli.run("request", "cirros", "--target", "cirros-http", "--name", "http-clone",
                    "--http", env.bridgeUrl(), "--token", env.token());
            assertThat(accepted.exit()).as(accepted.toString()).isZero();
            assertThat(accepted.out()).contains("HTTP 202");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var clone = env.cluster().kube().client().genericKubernetesResources(KubeResources.clones(env.cluster().kube().cloneGroup()))
                        .inNamespace("default").withName("http-clone").get();
                var status = clone == null ? null : VirtualMachineClones.status(clone);
                return status != null && "Succeeded".equals(status.phase());
            });
        }
    }
}
