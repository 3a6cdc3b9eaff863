package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * KubeVirt's label/annotation filter rules, anchored.
 *
 * <p>A filter is an exact key ({@code app}), a prefix ending in {@code *} ({@code example.com/*}), or
 * {@code *} for everything; a leading {@code !} negates. A key is kept when it matches at least one
 * positive filter and no negation (negation wins). A null filter list keeps every key; a non-null list
 * keeps only what it matches, so an empty list, or one with only negations, keeps nothing — exactly
 * KubeVirt's rule; write {@code ["*", "!secret/*"]} to mean "all but".
 *
 * <p>Difference from KubeVirt: KubeVirt passes filters to an unanchored Go regexp, so {@code app} also
 * keeps {@code myapp-owner} and {@code a.b} matches {@code axb}. Ours match what they say.
 */
record MetadataFilter(List<String> filters) {

    static MetadataFilter of(List<String> filters) {
        return new MetadataFilter(filters == null ? null : List.copyOf(filters));
    }

    boolean keepsAll() {
        return filters == null;
    }

    boolean keeps(String key) {
        if (filters == null) {
            return true;
        }
        boolean positive = false;
        for (String f : filters) {
            if (f.startsWith("!")) {
                if (matches(f.substring(1), key)) {
                    return false;
                }
            } else if (matches(f, key)) {
                positive = true;
            }
        }
        return positive;
    }

    private static boolean matches(String filter, String key) {
        return filter.endsWith("*") ? key.startsWith(filter.substring(0, filter.length() - 1)) : key.equals(filter);
    }

    /** Removes every key of {@code map} this filter does not keep; returns the removed keys in map order. */
    List<String> apply(ObjectNode map) {
        List<String> removed = new ArrayList<>();
        if (map == null || filters == null) {
            return removed;
        }
        map.fieldNames().forEachRemaining(key -> {
            if (!keeps(key)) {
                removed.add(key);
            }
        });
        map.remove(removed);
        return removed;
    }
}
