package io.vmclone.bridge.http;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-client bounds of the HTTP door: at most {@code maxConcurrent} requests of one client in progress at once, and a
 * token bucket of {@code burst} requests refilled at {@code perSecond}. A client is a key: the remote address, or
 * {@code user:<name>} once the token named one. Pure (the clock is given), thread-safe.
 *
 * <p>Memory is bounded: a client with nothing in progress and a full bucket is the same as one never seen, so it is
 * dropped; beyond {@code maxClients} tracked at once a new client is refused ({@code Refusal.TOO_MANY_CLIENTS}) rather
 * than letting a spray of addresses grow the map.
 */
public final class ClientLimits {
    /** Why a request was not admitted; the tag of {@code vmclone.bridge.http.throttled}. */
    public enum Refusal {
        CONCURRENCY("concurrency"), RATE("rate"), TOO_MANY_CLIENTS("clients");

        public final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }
    }

    /** The answer: admitted (then {@link #release} once the request ends), or refused with when to try again. */
    public record Admission(Refusal refusal, long retryAfterSeconds) {
        static final Admission ADMITTED = new Admission(null, 0);

        public boolean admitted() {
            return refusal == null;
        }
    }

    private static final class Client {
        int inFlight;
        double tokens;
        long refilledAtNanos;
    }

    private final int maxConcurrent;
    private final double perSecond;
    private final int burst;
    private final int maxClients;
    private final LongSupplier nanoTime;
    private final Map<String, Client> clients = new HashMap<>();

    public ClientLimits(int maxConcurrent, double perSecond, int burst, int maxClients, LongSupplier nanoTime) {
        if (maxConcurrent < 1 || perSecond <= 0 || burst < 1 || maxClients < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxConcurrent = maxConcurrent;
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxClients = maxClients;
        this.nanoTime = nanoTime;
    }

    /** One request of {@code client} starts, unless it is over either bound. */
    public synchronized Admission admit(String client) {
        long now = nanoTime.getAsLong();
        Client c = clients.get(client);
        if (c == null) {
            if (clients.size() >= maxClients) {
                sweep(now);
                if (clients.size() >= maxClients) {
                    return new Admission(Refusal.TOO_MANY_CLIENTS, 1);
                }
            }
            c = new Client();
            c.tokens = burst;
            c.refilledAtNanos = now;
            clients.put(client, c);
        }
        refill(c, now);
        if (c.inFlight >= maxConcurrent) {
            return new Admission(Refusal.CONCURRENCY, 1);
        }
        if (c.tokens < 1) {
            // Whole seconds until the next token (Retry-After takes seconds), at least 1.
            return new Admission(Refusal.RATE, Math.max(1, (long) Math.ceil((1 - c.tokens) / perSecond)));
        }
        c.tokens -= 1;
        c.inFlight++;
        return Admission.ADMITTED;
    }

    /** The request {@link #admit} let in has ended (answered, refused later, or the client went away). */
    public synchronized void release(String client) {
        Client c = clients.get(client);
        if (c != null && c.inFlight > 0) {
            c.inFlight--;
            long now = nanoTime.getAsLong();
            refill(c, now);
            if (idle(c)) {
                clients.remove(client);
            }
        }
    }

    /** How many clients are tracked now (a test's and an operator's view of the bound). */
    public synchronized int tracked() {
        sweep(nanoTime.getAsLong());
        return clients.size();
    }

    private void sweep(long now) {
        for (Iterator<Client> it = clients.values().iterator(); it.hasNext(); ) {
            Client c = it.next();
            refill(c, now);
            if (idle(c)) {
                it.remove();
            }
        }
    }

    private boolean idle(Client c) {
        return c.inFlight == 0 && c.tokens >= burst;
    }

    private void refill(Client c, long now) {
        double add = (now - c.refilledAtNanos) / 1e9 * perSecond;
        if (add > 0) {
            c.tokens = Math.min(burst, c.tokens + add);
            c.refilledAtNanos = now;
        }
    }
}
