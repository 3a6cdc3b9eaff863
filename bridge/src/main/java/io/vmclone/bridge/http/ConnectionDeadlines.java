package io.vmclone.bridge.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;

/**
 * Closes a connection on which no request arrives whole in time. The connector's idle timeout closes a connection
 * that sends nothing, but not one that sends a header byte every few seconds (slowloris): that one is closed here
 * once it has waited {@code limit} for its next request's headers, counted from its opening or its last answer.
 */
final class ConnectionDeadlines implements Connection.Listener {
    /** Since when a connection has waited for its next request; absent while a request is being handled. */
    private final Map<Connection, Long> waitingSince = new ConcurrentHashMap<>();
    private final long limitNanos;
    private final LongSupplier nanoTime;

    ConnectionDeadlines(java.time.Duration limit, LongSupplier nanoTime) {
        this.limitNanos = limit.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public void onOpened(Connection connection) {
        // The TLS layer under an HTTP connection is opened too; the HTTP connection on top is the one timed.
        if (!(connection instanceof SslConnection)) {
            waitingSince.put(connection, nanoTime.getAsLong());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        waitingSince.remove(connection);
    }

    /** A request's headers are in: its connection is busy until {@link #answered}. */
    void dispatched(Connection connection) {
        waitingSince.remove(connection);
    }

    void answered(Connection connection) {
        if (connection.getEndPoint().isOpen()) {
            waitingSince.put(connection, nanoTime.getAsLong());
        }
    }

    /** Closes every connection that waited too long; returns how many. */
    int sweep() {
        long now = nanoTime.getAsLong();
        int closed = 0;
        for (Map.Entry<Connection, Long> e : waitingSince.entrySet()) {
            if (now - e.getValue() > limitNanos && waitingSince.remove(e.getKey(), e.getValue())) {
                e.getKey().close();
                closed++;
            }
        }
        return closed;
    }
}
