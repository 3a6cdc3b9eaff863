package io.vmclone.runtime;

import java.util.concurrent.ThreadFactory;

/** Threads that never keep a service's JVM alive on their own: the stage loop decides when it ends. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory of daemon threads called {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
