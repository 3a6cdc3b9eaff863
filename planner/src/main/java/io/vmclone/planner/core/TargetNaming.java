package io.vmclone.planner.core;

import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;

/**
 * The target VM name: {@code spec.target.name}, or {@code clone-<source>-<suffix>} like KubeVirt's
 * mutating webhook, except the suffix is the first 5 hex chars of SHA-256(clone uid) instead of random
 * characters, so a replayed request plans the same name.
 */
public final class TargetNaming {
    private TargetNaming() {}

    static final int SUFFIX_LENGTH = 5;

    public static String resolve(CloneRef clone, CloneSpec spec) {
        if (spec.target() != null && spec.target().name() != null && !spec.target().name().isEmpty()) {
            return spec.target().name();
        }
        return generated(clone, spec.source().name());
    }

    /** {@code clone-<source>-<suffix>}, the source part cut so the whole stays a valid 63-char label. */
    static String generated(CloneRef clone, String sourceName) {
        String suffix = ShortHash.of(seed(clone), SUFFIX_LENGTH);
        String source = Dns1123.sanitise(sourceName);
        int room = Dns1123.MAX - "clone-".length() - 1 - SUFFIX_LENGTH;
        if (source.length() > room) {
            source = Dns1123.sanitise(source.substring(0, room));
        }
        return source.isEmpty() ? "clone-" + suffix : "clone-" + source + "-" + suffix;
    }

    /** The clone uid; a clone that never became a resource (no uid) falls back to its namespace/name. */
    static String seed(CloneRef clone) {
        return clone.uid() != null && !clone.uid().isEmpty() ? clone.uid() : clone.key();
    }
}
