package io.vmclone.testsupport.api;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vmclone.testsupport.BackgroundThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One open watch. Events are queued in the order the store commits them and sent by this watch's own
 * thread, so a client that reads slowly holds up only its own watch, and closing a watch never waits for a
 * send in flight (fabric8's mock waits there, on its event loop, which stalls every other request).
 */
final class WatchStream extends WebSocketListener {
    private final Predicate<ResourceStore.Stored> filter;
    private final Consumer<WatchStream> opened;
    private final Consumer<WatchStream> closed;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(BackgroundThreads.named("api-watch-sender"));
    private volatile WebSocket socket;
    private volatile boolean open = true;

    WatchStream(Predicate<ResourceStore.Stored> filter, Consumer<WatchStream> opened, Consumer<WatchStream> closed) {
        this.filter = filter;
        this.opened = opened;
        this.closed = closed;
    }

    boolean wants(ResourceStore.Stored object) {
        return filter.test(object);
    }

    /** Queues {@code {"type":…,"object":…}}; called with the store's lock held, so queue order is commit order. */
    void send(String type, String objectJson) {
        queue("{\"type\":\"" + type + "\",\"object\":" + objectJson + "}", false);
    }

    /** The asked-for resourceVersion is older than the store's history: 410, and the client lists again. */
    void expired() {
        queue("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}", true);
    }

    private void queue(String message, boolean thenClose) {
        if (!open) {
            return;
        }
        try {
            sender.execute(() -> {
                if (open && !socket.send(message)) {
                    close();
                } else if (thenClose) {
                    socket.close(1000, "expired");
                    close();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        socket = webSocket;
        opened.accept(this);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        close();
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        close();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        close();
    }

    void close() {
        if (open) {
            open = false;
            closed.accept(this);
            sender.shutdownNow();
        }
    }
}
