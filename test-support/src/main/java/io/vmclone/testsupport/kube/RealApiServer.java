package io.vmclone.testsupport.kube;

import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.vmclone.testsupport.Folders;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.cert.CertManager;
import io.fabric8.kubeapitest.kubeconfig.KubeConfig;
import io.fabric8.kubeapitest.process.KubeAPIServerProcess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real kube-apiserver over a real etcd, both processes of this JVM, started with fabric8's kube-api-test
 * (certificates, the API server's command line with RBAC and ServiceAccount token issuing, the kubeconfig).
 * Everything listens on 127.0.0.1. The API server can be restarted over the same etcd and port, and etcd's
 * history compacted, for the faults tests need.
 */
public final class RealApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealApiServer.class);
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final KubeBinaries binaries;
    private final Path workDir;
    private final Etcd etcd;
    private final CertManager certs;
    private final KubeAPIServerProcess firstProcess;
    private final int port;
    private final List<String> command;
    private final Config adminConfig;
    private final KubernetesClient admin;
    private Process restarted;

    private RealApiServer(KubeBinaries binaries, Path workDir, Etcd etcd, CertManager certs, KubeAPIServerProcess firstProcess,
                          int port, List<String> command, Config adminConfig) {
        this.binaries = binaries;
        this.workDir = workDir;
        this.etcd = etcd;
        this.certs = certs;
        this.firstProcess = firstProcess;
        this.port = port;
        this.command = command;
        this.adminConfig = adminConfig;
        this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    }

    /** Starts etcd and kube-apiserver in a fresh folder under {@code parent}; builds the binaries first if needed. */
    public static RealApiServer start(Path parent) {
        return start(parent, List.of());
    }

    /**
     * As {@link #start(Path)}, with more kube-apiserver flags; {@code {workDir}} in a flag stands for the server's
     * folder (for an audit log, say).
     */
    public static RealApiServer start(Path parent, List<String> extraFlags) {
        KubeBinaries binaries = KubeBinaries.ensure();
        Instant begin = Instant.now();
        Path workDir;
        Etcd etcd = null;
        try {
            Files.createDirectories(parent);
            workDir = Files.createTempDirectory(parent.toAbsolutePath(), "kube-api-");
            // kube-api-test looks for <testDir>/k8s/<version>-linux-amd64; the binaries stay in the machine's cache.
            Files.createSymbolicLink(workDir.resolve(BinaryManager.BINARY_LIST_DIR), binaries.kubeApiTestRoot().resolve(BinaryManager.BINARY_LIST_DIR));
            etcd = Etcd.start(binaries.etcd(), workDir.resolve("etcd"), workDir.resolve("etcd.log"), STARTUP);
            KubeAPIServerConfig config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(workDir.toString())
                    .withApiServerVersion(binaries.version())
                    .withOfflineMode(true)
                    .withStartupTimeout((int) STARTUP.toMillis())
                    .withApiServerFlags(flags(workDir, extraFlags))
                    .build();
            CertManager certs = new CertManager(workDir.toString());
            certs.createCertificatesIfNeeded();
            BinaryManager binaryManager = new BinaryManager(config);
            binaryManager.initAndDownloadIfRequired();
            KubeAPIServerProcess process = new KubeAPIServerProcess(certs, binaryManager,
                    p -> log.error("kube-apiserver exited unexpectedly (code {})", p.exitValue()), config);
            int port = process.startApiServer(etcd.port());
            process.waitUntilReady();
            List<String> command = commandLineOf(binaries.kubeApiServer(), workDir);
            Config adminConfig = Config.fromKubeconfig(new KubeConfig(certs, binaryManager).generateKubeConfigYaml(port));
            RealApiServer server = new RealApiServer(binaries, workDir, etcd, certs, process, port, command, adminConfig);
            log.info("kube-apiserver {} ready on https://127.0.0.1:{} in {} ms (etcd {}, work dir {})", binaries.version(), port,
                    Duration.between(begin, Instant.now()).toMillis(), etcd.url(), workDir);
            return server;
        } catch (IOException e) {
            if (etcd != null) {
                etcd.close();
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (etcd != null) {
                etcd.close();
            }
            throw e;
        }
    }

    private static List<String> flags(Path workDir, List<String> extra) {
        List<String> flags = new ArrayList<>(List.of("--bind-address", "127.0.0.1", "--profiling=false"));
        extra.forEach(f -> flags.add(f.replace("{workDir}", workDir.toString())));
        return flags;
    }

    /** The running kube-apiserver's argv, read back from /proc (kube-api-test builds it and keeps the process). */
    private static List<String> commandLineOf(Path binary, Path workDir) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> Path.of(c).equals(binary) || c.endsWith("/kube-apiserver")).orElse(false))
                .map(p -> readCmdline(p.pid()))
                .filter(args -> args.contains(workDir.toString()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("cannot find the kube-apiserver process just started"));
    }

    private static List<String> readCmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The server's version as it reports it, e.g. {@code v1.36.3}. */
    public String version() {
        return admin.getKubernetesVersion().getGitVersion();
    }

    public KubeBinaries binaries() {
        return binaries;
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** A cluster-admin (system:masters) configuration: client certificate, the server's CA. */
    public Config adminConfig() {
        return new ConfigBuilder(adminConfig).build();
    }

    /** A client shared by whoever asks; closed with the server. */
    public KubernetesClient admin() {
        return admin;
    }

    /** A configuration that authenticates with {@code token} alone (no client certificate). */
    public Config tokenConfig(String token, String namespace) {
        return new ConfigBuilder()
                .withMasterUrl(url())
                .withCaCertFile(certs.getAPIServerCertPath())
                .withOauthToken(token)
                .withNamespace(namespace)
                .withAutoConfigure(false)
                .build();
    }

    /** The CA file clients must trust. */
    public Path caFile() {
        return Path.of(certs.getAPIServerCertPath());
    }

    /** A kubeconfig for {@code kubectl} with the admin's client certificate. */
    public String adminKubeconfigYaml() {
        return KubeconfigYaml.forClientCertificate(url(), caFile(), Path.of(certs.getClientCertPath()), Path.of(certs.getClientKeyPath()));
    }

    public Path workDir() {
        return workDir;
    }

    /**
     * Kills kube-apiserver (SIGKILL, as a crash would) and starts it again with the same command line, over the
     * same etcd and port; returns once it answers {@code /readyz}. Clients keep their address; their watches break.
     */
    public synchronized void restart() {
        stopApiServer();
        Path log = workDir.resolve("kube-apiserver-restarted.log");
        try {
            restarted = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart kube-apiserver", e);
        }
        awaitReadyz(admin, restarted, STARTUP, log);
    }

    /** Kills kube-apiserver; {@link #startAgain()} brings it back. For tests of what happens while it is down. */
    public synchronized void stopApiServer() {
        if (restarted != null) {
            restarted.destroyForcibly();
            waitFor(restarted);
            restarted = null;
        } else {
            firstProcess.stopApiServer();
        }
    }

    /** Starts kube-apiserver again after {@link #stopApiServer()}. */
    public synchronized void startAgain() {
        if (restarted == null || !restarted.isAlive()) {
            restart();
        }
    }

    /** Until {@code client}'s server answers {@code /readyz} with ok; fails at once if {@code process} exits. */
    private static void awaitReadyz(KubernetesClient client, Process process, Duration timeout, Path log) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kube-apiserver exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if ("ok".equals(client.raw("/readyz"))) {
                    return;
                }
            } catch (RuntimeException e) {
                // not up yet
            }
            Etcd.pause();
        }
        throw new IllegalStateException("kube-apiserver not ready within " + timeout + "; see " + log);
    }

    /**
     * A second kube-apiserver over the same etcd, on a port of its own, as in a control plane with several: the
     * cluster stays writable through it while this one is down. Close it when done.
     */
    public SecondApiServer startSecond() {
        List<String> args = new ArrayList<>(command);
        int port = io.vmclone.testsupport.Ports.freeLoopbackPort();
        int at = args.indexOf("--secure-port");
        args.set(at + 1, Integer.toString(port));
        Path log = workDir.resolve("kube-apiserver-second.log");
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Config config = new ConfigBuilder(adminConfig).withMasterUrl("https://127.0.0.1:" + port).build();
            SecondApiServer second = new SecondApiServer(process, new KubernetesClientBuilder().withConfig(config).build());
            awaitReadyz(second.admin, process, STARTUP, log);
            return second;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a second kube-apiserver", e);
        }
    }

    /** A second kube-apiserver started by {@link #startSecond()}, with a cluster-admin client. */
    public static final class SecondApiServer implements AutoCloseable {
        private final Process process;
        private final KubernetesClient admin;

        SecondApiServer(Process process, KubernetesClient admin) {
            this.process = process;
            this.admin = admin;
        }

        public KubernetesClient admin() {
            return admin;
        }

        @Override
        public void close() {
            admin.close();
            process.destroyForcibly();
            waitFor(process);
        }
    }

    /** etcd's client URL (on 127.0.0.1, no authentication). */
    public String etcdUrl() {
        return etcd.url();
    }

    /** Compacts etcd to its current revision: older resourceVersions are gone for good. */
    public long compactEtcd() {
        return etcd.compact();
    }

    /** etcd's current revision. */
    public long etcdRevision() {
        return etcd.revision();
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        admin.close();
        stopApiServer();
        etcd.close();
        Folders.delete(workDir);
    }

}
