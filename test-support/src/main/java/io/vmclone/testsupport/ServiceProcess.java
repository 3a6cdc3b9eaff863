package io.vmclone.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service as its own JVM (its {@code *Main} on this JVM's class path, the environment a pod would get,
 * output to a log file), started again under the same instance id after it is killed. {@link #kill} is
 * {@code SIGKILL}: no shutdown hook, no Kafka LeaveGroup, no transaction abort, no last status flush — what
 * a node failure or OOM kill does. Used by the process-kill chaos test and the load driver.
 */
public final class ServiceProcess {
    private final String service;
    private final String mainClass;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    private final Path logDir;
    private Process process;
    private Path log;
    private int starts;
    private Thread stopOnExit;

    /**
     * @param jvmOptions e.g. {@code -Xmx256m}: the caller knows how many JVMs share the machine
     * @param env        the whole environment of the process (nothing is inherited)
     * @param logDir     where {@code <service>-<start>.log} is written (stdout and stderr)
     */
    public ServiceProcess(String service, String mainClass, List<String> jvmOptions, Map<String, String> env, Path logDir) {
        this.service = service;
        this.mainClass = mainClass;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.env = Map.copyOf(env);
        this.logDir = logDir;
    }

    public synchronized void start() {
        if (stopOnExit == null) {
            // Whoever started it may exit without stopping it (a failed test JVM, Ctrl-C; not a SIGKILL, which
            // runs no hook): the service must not outlive it. Removed again by stop().
            stopOnExit = new Thread(this::destroy, "stop-" + service);
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("VMCLONE_INSTANCE_ID", service + "-0");
        pb.redirectErrorStream(true);
        log = logDir.resolve(service + "-" + (++starts) + ".log");
        pb.redirectOutput(log.toFile());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + service, e);
        }
    }

    /** SIGKILL, then wait until the process is gone. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Restarts the service if it exited on its own (as Kubernetes restarts a pod); true if it did. */
    public synchronized boolean restartIfExited() {
        if (process.isAlive()) {
            return false;
        }
        start();
        return true;
    }

    /** SIGTERM (the service's shutdown hook closes it cleanly); SIGKILL if it is still there after 20 s. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        if (stopOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // this JVM is already shutting down: the hook runs, harmlessly
            }
            stopOnExit = null;
        }
    }

    private synchronized void destroy() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    public String service() {
        return service;
    }

    public synchronized int starts() {
        return starts;
    }

    /** The running (or last) process's id, e.g. to read {@code /proc/<pid>/status}. */
    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** The running (or last) process's output. */
    public synchronized Path log() {
        return log;
    }
}
