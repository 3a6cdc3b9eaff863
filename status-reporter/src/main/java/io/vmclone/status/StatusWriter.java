package io.vmclone.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.CloneStatus;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes a clone's status through the status subresource only. On a 409 (someone else wrote since we
 * read) it re-reads and re-applies; a clone that no longer exists (or is a different object with the
 * same name) is skipped.
 */
public final class StatusWriter {
    private static final int MAX_CONFLICTS = 10;

    private final KubernetesClient kube;
    private final ResourceDefinitionContext clones;

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
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<GenericKubernetesResource> current = read(ref);
            if (current.isEmpty()) {
                return Result.GONE;
            }
            GenericKubernetesResource next = change.apply(current.get());
            if (next == null) {
                return new Result(Result.Kind.UNCHANGED, current.get());
            }
            try {
                GenericKubernetesResource written = kube.genericKubernetesResources(clones).inNamespace(ref.namespace())
                        .resource(next).updateStatus();
                return new Result(Result.Kind.WRITTEN, written == null ? next : written);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return Result.GONE; // deleted meanwhile
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        throw new KubernetesClientException("status of " + ref.key() + " kept conflicting after " + MAX_CONFLICTS + " attempts");
    }

    public static CloneStatus status(GenericKubernetesResource r) {
        return VirtualMachineClones.status(r);
    }
}
