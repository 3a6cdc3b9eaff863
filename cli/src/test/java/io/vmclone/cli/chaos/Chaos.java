package io.vmclone.cli.chaos;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Decides, reproducibly from a seed, when a stage crashes; at most {@code budget} crashes per stage. */
final class Chaos {
    private final Random random;
    private final double probability;
    private final int budget;
    private final Map<String, AtomicInteger> crashes = new ConcurrentHashMap<>();

    Chaos(long seed, double probability, int budget) {
        this.random = new Random(seed);
        this.probability = probability;
        this.budget = budget;
    }

    synchronized boolean crashNow(String stage) {
        AtomicInteger count = crashes.computeIfAbsent(stage, s -> new AtomicInteger());
        if (count.get() < budget && random.nextDouble() < probability) {
            count.incrementAndGet();
            return true;
        }
        return false;
    }

    int crashes(String stage) {
        AtomicInteger c = crashes.get(stage);
        return c == null ? 0 : c.get();
    }
}
