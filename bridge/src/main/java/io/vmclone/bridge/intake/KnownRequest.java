package io.vmclone.bridge.intake;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.ClonePhase;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.Map;

/**
 * What the bridge knows of one external request that became a clone: enough to answer a replay of it after
 * the clone is gone.
 *
 * @param key    {@link RequestKeys#requestKey} of the request's source + id
 * @param digest the start ({@value #DIGEST_CHARS} hex digits) of the request's digest; null when it was logged
 *               before requests carried one (then any body counts as the same request: nothing is made either way)
 * @param cloneRef the clone the request became
 * @param phase  the clone's phase as last seen (from its status or the log), or null
 * @param record the intake record that made it ({@code topic-partition@offset}), when known
 */
public record KnownRequest(String key, String digest, CloneRef cloneRef, String phase, String record) {
    /** 64 bits of the digest: a different body that shares them is taken for the same request, which creates nothing. */
    static final int DIGEST_CHARS = 16;

    public KnownRequest {
        digest = digest == null ? null : digest.substring(0, Math.min(DIGEST_CHARS, digest.length()));
        // Thousands of requests share a few namespaces: one copy of each name in memory.
        cloneRef = new CloneRef(cloneRef.namespace().intern(), cloneRef.name(), cloneRef.uid());
    }

    /** The request {@code key} as the materialised clone {@code resource} records it. */
    static KnownRequest of(String key, GenericKubernetesResource resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations() == null ? Map.of()
                : resource.getMetadata().getAnnotations();
        CloneStatus status = VirtualMachineClones.status(resource);
        return new KnownRequest(key, annotations.get(CloneLabels.REQUEST_DIGEST), VirtualMachineClones.ref(resource),
                status == null ? null : status.phase(), annotations.get(CloneLabels.REQUEST_RECORD));
    }

    /** Whether a request with this (full) digest is the one known here. */
    boolean sameBody(String fullDigest) {
        return digest == null || fullDigest.startsWith(digest);
    }

    /** Whether {@link #phase} is one a clone never leaves (so the clone need not be looked at again). */
    boolean ended() {
        return phase != null && ClonePhase.parse(phase).map(ClonePhase::terminal).orElse(false);
    }

    boolean sameClone(KnownRequest other) {
        return cloneRef.uid() != null && cloneRef.uid().equals(other.cloneRef.uid());
    }

    /** This, completed with what {@code other} (the same clone) knows and this does not. */
    KnownRequest mergedWith(KnownRequest other) {
        return new KnownRequest(key, digest != null ? digest : other.digest, cloneRef, ended() ? phase : other.phase,
                record != null ? record : other.record);
    }

    KnownRequest withPhase(String newPhase) {
        return new KnownRequest(key, digest, cloneRef, newPhase, record);
    }
}
