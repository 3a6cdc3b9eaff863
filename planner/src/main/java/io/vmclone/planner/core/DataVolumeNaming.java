package io.vmclone.planner.core;

import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;

/**
 * Names of the new DataVolumes, per {@code volumeNamePolicy}:
 * <ul>
 *   <li>{@code RandomizeNames} (default): {@code clone-<8 hex of SHA-256(clone uid)>-<volume>} — KubeVirt uses
 *       {@code restore-<restore uid>-<volume>}; ours is derived from the clone uid so a replay plans the same names.</li>
 *   <li>{@code PrefixTargetName}: {@code <target>-<volume>} (GitOps-friendly, kubevirt/kubevirt#14372).</li>
 * </ul>
 * Either way the result is a valid RFC 1123 label of at most 63 characters: longer or invalid names are
 * cut and suffixed with a short hash of the full name (KubeVirt just truncates, which can collide).
 */
public final class DataVolumeNaming {
    private DataVolumeNaming() {}

    static final int UID_HASH_LENGTH = 8;

    public static String name(CloneRef clone, CloneSpec spec, String targetName, String volumeName) {
        String raw = CloneSpec.POLICY_PREFIX_TARGET.equals(spec.volumeNamePolicy())
                ? targetName + "-" + volumeName
                : "clone-" + ShortHash.of(TargetNaming.seed(clone), UID_HASH_LENGTH) + "-" + volumeName;
        return Dns1123.label(raw);
    }
}
