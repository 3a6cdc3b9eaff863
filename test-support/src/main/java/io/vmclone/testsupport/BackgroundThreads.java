package io.vmclone.testsupport;

import java.util.concurrent.ThreadFactory;

/**
 * Daemon threads for test doubles' background work, so a test JVM never waits for them at exit. The same as
 * stage-runtime's {@code DaemonThreads}, which test-support cannot use: stage-runtime's tests depend on it.
 */
public final class BackgroundThreads {
    private BackgroundThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
