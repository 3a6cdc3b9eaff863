package io.vmclone.runtime;

/**
 * Opt-in for a {@link StageHandler} whose own work can stop while its loop still consumes (a watch, a
 * leadership): {@code /readyz} then also asks it. Handlers without such work need not implement it.
 */
@FunctionalInterface
public interface Readiness {
    /** True while the handler does the work it is there for. */
    boolean ready();
}
