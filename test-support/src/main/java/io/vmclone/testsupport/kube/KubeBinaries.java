package io.vmclone.testsupport.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real etcd, kube-apiserver and kubectl, built from the Go module proxy by {@code tools/kube-binaries/build.sh}
 * the first time they are asked for on a machine, then reused. The directory follows kube-api-test's layout:
 * {@code <root>/k8s/<version>-linux-amd64/}.
 */
public record KubeBinaries(Path dir) {
    static final String BUILD_SCRIPT = "tools/kube-binaries/build.sh";

    /** kube-api-test's test directory: the folder holding {@code k8s/}. */
    public Path kubeApiTestRoot() {
        return dir.getParent().getParent();
    }

    /** The Kubernetes version, e.g. {@code 1.36.3}. */
    public String version() {
        String name = dir.getFileName().toString();
        return name.substring(0, name.indexOf('-'));
    }

    public Path etcd() {
        return dir.resolve("etcd");
    }

    public Path kubeApiServer() {
        return dir.resolve("kube-apiserver");
    }

    public Path kubectl() {
        return dir.resolve("kubectl");
    }

    /**
     * Builds the binaries if they are missing (minutes, once per machine; the build's progress goes to this
     * process's stderr) and returns where they are.
     */
    public static KubeBinaries ensure() {
        Path script = projectRoot().resolve(BUILD_SCRIPT);
        try {
            Process build = new ProcessBuilder(List.of("bash", script.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = build.waitFor();
            if (rc != 0 || out.isEmpty()) {
                throw new IllegalStateException(script + " failed (exit " + rc + "); its output is above");
            }
            Path dir = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
            return new KubeBinaries(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the Kubernetes binaries", e);
        }
    }

    /**
     * The repository root: {@code -Dvmclone.root} or {@code VMCLONE_ROOT} (the launcher sets it), else the
     * nearest folder above the working directory that holds the build script (tests run in a module folder).
     */
    public static Path projectRoot() {
        String configured = System.getProperty("vmclone.root", System.getenv("VMCLONE_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(BUILD_SCRIPT))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find " + BUILD_SCRIPT + " above " + Path.of("").toAbsolutePath()
                + ": set -Dvmclone.root or VMCLONE_ROOT to the vmclone checkout");
    }
}
