package io.vmclone.planner.core;

import io.vmclone.schemas.validation.CloneSpecValidator;
import java.util.Locale;

/** Turns arbitrary text into a valid RFC 1123 label (an object name), keeping it deterministic and distinct. */
final class Dns1123 {
    private Dns1123() {}

    static final int MAX = CloneSpecValidator.MAX_NAME_LENGTH;
    private static final int HASH = 5;

    /**
     * {@code raw} itself when it is already a valid label; otherwise lower-cased, invalid characters
     * turned into {@code -}, cut to fit and suffixed with a short hash of {@code raw}, so two different
     * raw names that sanitise alike (or share a long prefix) still get different results.
     */
    static String label(String raw) {
        if (CloneSpecValidator.isDns1123Label(raw)) {
            return raw;
        }
        String clean = sanitise(raw);
        String head = trimDashes(clean.substring(0, Math.min(clean.length(), MAX - HASH - 1)));
        String hash = ShortHash.of(raw, HASH);
        return head.isEmpty() ? "x-" + hash : head + "-" + hash;
    }

    static String sanitise(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (char c : raw.toLowerCase(Locale.ROOT).toCharArray()) {
            b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '-');
        }
        return trimDashes(b.toString());
    }

    private static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}
