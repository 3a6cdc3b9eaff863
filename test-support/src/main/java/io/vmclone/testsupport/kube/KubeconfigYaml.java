package io.vmclone.testsupport.kube;

import java.nio.file.Path;

/** Kubeconfig files for kubectl and the vmclone CLI pointing at a {@link RealApiServer}. */
public final class KubeconfigYaml {
    private KubeconfigYaml() {}

    private static final String TEMPLATE = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: vmclone-real
              cluster:
                server: %s
                certificate-authority: %s
            users:
            - name: %s
              user:
            %s
            contexts:
            - name: vmclone-real
              context:
                cluster: vmclone-real
                user: %s
                namespace: %s
            current-context: vmclone-real
            """;

    static String forClientCertificate(String server, Path ca, Path cert, Path key) {
        String user = "    client-certificate: " + cert + "\n    client-key: " + key;
        return TEMPLATE.formatted(server, ca, "admin", user, "admin", "default");
    }

    /** A kubeconfig whose user authenticates with a bearer token (a ServiceAccount's, say). */
    public static String forToken(String server, Path ca, String userName, String token, String namespace) {
        return TEMPLATE.formatted(server, ca, userName, "    token: " + token, userName, namespace);
    }
}
