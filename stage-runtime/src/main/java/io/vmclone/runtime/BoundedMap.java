package io.vmclone.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-clone memory that must not grow with the number of clones a service has ever seen: a map that keeps
 * at most {@code capacity} entries and drops the eldest. Not thread-safe: callers synchronise.
 */
public final class BoundedMap {
    private BoundedMap() {
    }

    /** Drops the entry read or written longest ago. */
    public static <K, V> Map<K, V> leastRecentlyUsed(int capacity) {
        return bounded(capacity, true);
    }

    /** Drops the entry inserted first. */
    public static <K, V> Map<K, V> oldestInserted(int capacity) {
        return bounded(capacity, false);
    }

    private static <K, V> Map<K, V> bounded(int capacity, boolean accessOrder) {
        return new LinkedHashMap<>(256, 0.75f, accessOrder) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
