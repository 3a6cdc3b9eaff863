package io.vmclone.cli.chaos;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One service as its own JVM (its {@code *Main}, the environment a pod would get), started again under the
 * same instance id after it is killed. {@link #kill} is {@code SIGKILL}: no shutdown hook, no Kafka
 * LeaveGroup, no transaction abort, no last status flush — what a node failure or OOM kill does.
 */
final class ServiceProcess {
    private final String service;
    private final String mainClass;
    private final Map<String, String> env;
    private final Path logDir;
    private Process process;
    private int starts;

    ServiceProcess(String service, String mainClass, Map<String, String> env, Path logDir) {
        this.service = service;
        this.mainClass = mainClass;
        this.env = env;
        this.logDir = logDir;
    }

    synchronized void start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Small, fast-starting JVMs: four of them share the test machine's two cores with the broker and the API.
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("VMCLONE_INSTANCE_ID", service + "-0");
        pb.redirectErrorStream(true);
        File log = logDir.resolve(service + "-" + (++starts) + ".log").toFile();
        pb.redirectOutput(log);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + service, e);
        }
    }

    /** SIGKILL, then wait until the process is gone. */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Restarts the service if it exited on its own (as Kubernetes restarts a pod); true if it did. */
    synchronized boolean restartIfExited() {
        if (process.isAlive()) {
            return false;
        }
        start();
        return true;
    }

    synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    String service() {
        return service;
    }

    synchronized int starts() {
        return starts;
    }
}
