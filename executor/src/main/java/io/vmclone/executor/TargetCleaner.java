package io.vmclone.executor;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmclone.runtime.TransientFailure;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the target objects one clone created: selected by its uid label (so never anyone else's),
 * DataVolumes first, then the VM (a real cluster would also garbage-collect the DataVolumes with it).
 */
final class TargetCleaner {
    private final KubernetesClient kube;
    private final ApiRetry retry;

    TargetCleaner(KubernetesClient kube, ApiRetry retry) {
        this.kube = kube;
        this.retry = retry;
    }

    /** Returns {@code Kind/name} of every object deleted. */
    List<String> deleteOwnedBy(CloneRef clone) throws TransientFailure {
        List<String> deleted = new ArrayList<>();
        if (clone.uid() == null) {
            return deleted;
        }
        for (ResourceDefinitionContext kind : List.of(KubeResources.DATA_VOLUME, KubeResources.VIRTUAL_MACHINE)) {
            var ops = kube.genericKubernetesResources(kind).inNamespace(clone.namespace());
            List<GenericKubernetesResource> mine = retry.call("list " + kind.getPlural() + " of " + clone.key(),
                    () -> ops.withLabel(CloneLabels.CLONE_UID, clone.uid()).list().getItems());
            for (GenericKubernetesResource r : mine) {
                String name = r.getMetadata().getName();
                boolean gone = retry.call("delete " + kind.getKind() + " " + clone.namespace() + "/" + name, () -> {
                    try {
                        return !ops.withName(name).delete().isEmpty();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() == 404) {
                            return false;
                        }
                        throw e;
                    }
                });
                if (gone) {
                    deleted.add(kind.getKind() + "/" + name);
                }
            }
        }
        return deleted;
    }
}
