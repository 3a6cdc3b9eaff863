package io.vmclone.status;

import io.vmclone.runtime.BoundedMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes a clone's status through the status subresource only. On a 409 (someone else wrote since we
 * read) it re-reads and re-applies; a clone that no longer exists (or is a different object with the
 * same name) is skipped.
 *
 * <p>The clone as we last wrote it is kept (for clones not yet terminal, at most {@value #REMEMBERED}) and
 * the next write starts from it instead of a GET: the write carries its resourceVersion, so if anyone
 * changed the clone since, the API server answers 409 and we read and apply again. One round trip per
 * status write instead of two, and never a lost update.
 */
public final class StatusWriter {
    private static final int MAX_CONFLICTS = 10;
    static final int REMEMBERED = 10_000;

    private final KubernetesClient kube;
    private final ResourceDefinitionContext clones;
    /** uid → the clone as our last write returned it. */
    private final Map<String, GenericKubernetesResource> lastWritten = BoundedMap.leastRecentlyUsed(REMEMBERED);

    public StatusWriter(KubernetesClient kube, ResourceDefinitionContext clones) {
        this.kube = kube;
        this.clones = clones;
    }

    /** The clone resource, if it exists and is the object {@code ref} names (same uid). */
    public Optional<GenericKubernetesResource> read(CloneRef ref) {
        GenericKubernetesResource r = kube.genericKubernetesResources(clones).inNamespace(ref.namespace()).withName(ref.name()).get();
        if (r == null || (ref.uid() != null && !ref.uid().equals(r.getMetadata().getUid()))) {
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /** What {@link #update} did. {@code resource} is the clone as written (WRITTEN) or as read (UNCHANGED). */
    public record Result(Kind kind, GenericKubernetesResource resource) {
        public enum Kind { WRITTEN, UNCHANGED, GONE }

        static final Result GONE = new Result(Kind.GONE, null);
    }

    /**
     * Applies {@code change} to the freshly read clone and writes its status; {@code change} returns null
     * for "no change". A 409 (someone wrote since we read) means: read again and apply again.
     */
    public Result update(CloneRef ref, UnaryOperator<GenericKubernetesResource> change) {
        GenericKubernetesResource known = remembered(ref);
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<GenericKubernetesResource> current = known != null ? Optional.of(known) : read(ref);
            known = null; // after a conflict, only a fresh read will do
            if (current.isEmpty()) {
                forget(ref);
                return Result.GONE;
            }
            GenericKubernetesResource next = change.apply(current.get());
            if (next == null) {
                return new Result(Result.Kind.UNCHANGED, current.get());
            }
            try {
                GenericKubernetesResource written = kube.genericKubernetesResources(clones).inNamespace(ref.namespace())
                        .resource(next).updateStatus();
                GenericKubernetesResource result = written == null ? next : written;
                remember(ref, result);
                return new Result(Result.Kind.WRITTEN, result);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    forget(ref);
                    return Result.GONE; // deleted meanwhile
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        throw new KubernetesClientException("status of " + ref.key() + " kept conflicting after " + MAX_CONFLICTS + " attempts");
    }

    /** The clone as we last wrote it (a copy, since the caller's change edits it), or null. */
    private synchronized GenericKubernetesResource remembered(CloneRef ref) {
        GenericKubernetesResource r = ref.uid() == null ? null : lastWritten.get(ref.uid());
        return r == null ? null : io.fabric8.kubernetes.client.utils.Serialization.clone(r);
    }

    /** Remembered until the clone is terminal: after that no more events come for it. */
    private synchronized void remember(CloneRef ref, GenericKubernetesResource written) {
        if (ref.uid() == null) {
            return;
        }
        CloneStatus status = status(written);
        var phase = status == null ? null : status.phaseOrNull();
        if (phase != null && phase.terminal()) {
            lastWritten.remove(ref.uid());
        } else {
            lastWritten.put(ref.uid(), written);
        }
    }

    private synchronized void forget(CloneRef ref) {
        if (ref.uid() != null) {
            lastWritten.remove(ref.uid());
        }
    }

    public static CloneStatus status(GenericKubernetesResource r) {
        return VirtualMachineClones.status(r);
    }
}
