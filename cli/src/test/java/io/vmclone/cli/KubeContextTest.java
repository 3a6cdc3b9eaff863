package io.vmclone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A context that is not in the kubeconfig is an error, as in kubectl, not a silent fall back to the current one. */
class KubeContextTest {
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: staging
              cluster: {server: "https://127.0.0.1:1"}
            users:
            - name: me
              user: {token: t}
            contexts:
            - name: staging
              context: {cluster: staging, user: me, namespace: default}
            current-context: staging
            """;

    @Test
    void anUnknownContextIsRefusedNamingTheOnesThereAndNothingIsCalled(@TempDir Path dir) throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), KUBECONFIG);
        Cli.Result r = Cli.run("list", "--kubeconfig", kubeconfig.toString(), "--context", "production-cluster");
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("--context: no context named 'production-cluster'").contains("contexts there: staging");
    }
}
