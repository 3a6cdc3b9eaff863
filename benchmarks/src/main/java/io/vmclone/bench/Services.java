package io.vmclone.bench;

import java.util.Map;
import java.util.Optional;

/** The four services under load ({@code --services}): threads of the driver's JVM, or JVMs of their own. */
interface Services extends AutoCloseable {
    /** Every service consumes with its partitions assigned. */
    boolean ready();

    /** The first service that stopped, with why: the driver does not restart services. */
    Optional<String> stopped();

    /** Per service, in pipeline order: its metrics in Prometheus text, as its {@code /metrics} shows them. */
    Map<String, String> metrics();

    /** Per service, in pipeline order: its process id; empty when the services share the driver's JVM. */
    Map<String, Long> pids();

    /** Where the services run, for the output. */
    String describe();

    @Override
    void close();
}
