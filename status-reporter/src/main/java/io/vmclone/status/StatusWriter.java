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

    /**
     * Applies {@code change} to the current status and writes it; {@code change} returns null for "no
     * change". Returns true if a write happened.
     */
    public boolean update(CloneRef ref, UnaryOperator<GenericKubernetesResource> change) {
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<GenericKubernetesResource> current = read(ref);
            if (current.isEmpty()) {
                return false;
            }
            GenericKubernetesResource next = change.apply(current.get());
            if (next == null) {
                return false;
            }
            try {
                kube.genericKubernetesResources(clones).inNamespace(ref.namespace()).resource(next).updateStatus();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false; // deleted meanwhile
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
