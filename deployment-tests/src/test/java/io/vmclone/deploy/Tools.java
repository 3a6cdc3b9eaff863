package io.vmclone.deploy;

import io.vmclone.testsupport.kube.KubeBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command-line tools operators render the manifests with: helm (built from the Go module proxy by
 * tools/helm/build.sh, once per machine) and kubectl (tools/kube-binaries/build.sh, see KubeBinaries).
 */
final class Tools {
    private Tools() {}

    /** What a command printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {}

    private static Path helm;

    static synchronized Path helm() {
        if (helm == null) {
            Result build = run(List.of("bash", ProjectFiles.root().resolve("tools/helm/build.sh").toString()));
            if (build.exitCode() != 0 || build.stdout().isBlank()) {
                throw new IllegalStateException("tools/helm/build.sh failed (exit " + build.exitCode() + "): " + build.stderr());
            }
            helm = Path.of(build.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        }
        return helm;
    }

    static Path kubectl() {
        return KubeBinaries.ensure().kubectl();
    }

    static Result helm(String... args) {
        List<String> command = new ArrayList<>(List.of(helm().toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    static Result kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of(kubectl().toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code command} in the project root; stderr goes to a file so a chatty tool never blocks on a full pipe. */
    static Result run(List<String> command) {
        try {
            Path err = Files.createTempFile("vmclone-tool", ".err");
            try {
                Process p = new ProcessBuilder(command).directory(ProjectFiles.root().toFile())
                        .redirectError(err.toFile()).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(15, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(command + " did not end within 15 minutes");
                }
                return new Result(p.exitValue(), out, Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
