package io.vmclone.planner.core;

import java.nio.charset.StandardCharsets;

/**
 * KubeVirt's {@code naming.GetName(base, suffix, maxLength)} (from OpenShift's library-go), which KubeVirt uses
 * for names that must match its own, such as the backend volume {@code persistent-state-for-<vm>}:
 * {@code base-suffix} when it fits, else a cut base with an FNV-1a hash.
 */
final class KubevirtNames {
    private KubevirtNames() {}

    static String getName(String base, String suffix, int maxLength) {
        String name = base + "-" + suffix;
        if (name.length() <= maxLength) {
            return name;
        }
        int baseLength = maxLength - 10 - suffix.length();
        if (baseLength <= 0) {
            // The suffix does not fit: base plus a hash of the whole name.
            String prefix = base.substring(0, Math.min(base.length(), Math.max(0, maxLength - 9)));
            String shortName = prefix + "-" + fnv1a32(name);
            return shortName.substring(0, Math.min(maxLength, shortName.length()));
        }
        return base.substring(0, baseLength) + "-" + fnv1a32(base) + "-" + suffix;
    }

    /** 32-bit FNV-1a of the UTF-8 bytes, as 8 hex digits (Go's {@code fnv.New32a}, {@code %08x}). */
    static String fnv1a32(String s) {
        int hash = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return String.format("%08x", hash);
    }
}
