package io.vmclone.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmclone.runtime.Failures;
import io.vmclone.runtime.TransientFailure;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Planned;
import io.vmclone.schemas.kube.KubeResources;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the planned VM and DataVolumes, idempotently and without touching anyone else's objects.
 *
 * <ol>
 *   <li>Reads every target name first: an object of that name not labelled with this clone's uid refuses
 *       the plan ({@code TargetExists}) before anything is written; objects this clone made earlier (a
 *       replay, a crash before commit) are kept, not written again.</li>
 *   <li>Creates what is missing (create, not server-side apply: docs/executor.md). A 409 re-reads: ours →
 *       done, a stranger's → refused, gone again → create again. 400/422 (and other refusals) → refused with
 *       the API server's message, after removing what this call created so no half clone is left.</li>
 * </ol>
 * So a clone costs exactly one VM create and one create per DataVolume, however often it is replayed.
 */
final class TargetApplier {
    private static final Logger log = LoggerFactory.getLogger(TargetApplier.class);

    /** The plan cannot be applied; {@code reason} from {@link Reasons}. */
    static final class ApplyRefused extends Exception {
        private final String reason;

        ApplyRefused(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final KubernetesClient kube;
    private final ApiRetry retry;
    private final TargetCleaner cleaner;

    TargetApplier(KubernetesClient kube, ApiRetry retry, TargetCleaner cleaner) {
        this.kube = kube;
        this.retry = retry;
        this.cleaner = cleaner;
    }

    void apply(Planned plan, FollowedClone followed) throws ApplyRefused, TransientFailure {
        CloneRef clone = plan.cloneRef();
        if (clone.uid() == null) {
            throw new ApplyRefused(Reasons.APPLY_FAILED, "the plan names no clone uid, so its objects could not be told apart from anyone else's");
        }
        GenericKubernetesResource vm = TargetManifests.virtualMachine(plan.virtualMachine(), clone);
        GenericKubernetesResource existingVm = mineOrNone(clone, KubeResources.VIRTUAL_MACHINE, vm.getMetadata().getName());
        List<GenericKubernetesResource> existingDvs = new ArrayList<>();
        for (ObjectNode dv : plan.dataVolumes()) {
            existingDvs.add(mineOrNone(clone, KubeResources.DATA_VOLUME, dv.path("metadata").path("name").asText()));
        }
        List<String> created = new ArrayList<>();
        try {
            if (existingVm == null) {
                existingVm = create(clone, KubeResources.VIRTUAL_MACHINE, vm, created);
            }
            for (int i = 0; i < plan.dataVolumes().size(); i++) {
                if (existingDvs.get(i) == null) {
                    create(clone, KubeResources.DATA_VOLUME,
                            TargetManifests.dataVolume(plan.dataVolumes().get(i), clone, followed.volumes().get(i).volume(), existingVm), created);
                }
            }
        } catch (ApplyRefused e) {
            if (!created.isEmpty()) {
                log.info("clone {}: plan refused ({}), removing what this attempt created: {}", clone.key(), e.getMessage(), created);
                cleaner.deleteOwnedBy(clone);
            }
            throw e;
        }
    }

    /** The object of that name if this clone made it, null if there is none; refuses a stranger's. */
    private GenericKubernetesResource mineOrNone(CloneRef clone, ResourceDefinitionContext kind, String name)
            throws ApplyRefused, TransientFailure {
        GenericKubernetesResource existing = retry.call("read " + kind.getKind() + " " + clone.namespace() + "/" + name,
                () -> kube.genericKubernetesResources(kind).inNamespace(clone.namespace()).withName(name).get());
        if (existing != null && !TargetManifests.ownedBy(existing, clone)) {
            throw new ApplyRefused(Reasons.TARGET_EXISTS, kind.getKind() + " " + clone.namespace() + "/" + name
                    + " already exists and was not created by this clone; it was left untouched");
        }
        return existing;
    }

    private GenericKubernetesResource create(CloneRef clone, ResourceDefinitionContext kind, GenericKubernetesResource object,
                                             List<String> created) throws ApplyRefused, TransientFailure {
        String name = object.getMetadata().getName();
        String what = "create " + kind.getKind() + " " + clone.namespace() + "/" + name;
        var ops = kube.genericKubernetesResources(kind).inNamespace(clone.namespace());
        for (int attempt = 1; ; attempt++) {
            try {
                GenericKubernetesResource result = retry.call(what, () -> ops.resource(object).create());
                created.add(kind.getKind() + "/" + name);
                return result;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    // AlreadyExists, or a conflict: re-read to learn which.
                    GenericKubernetesResource existing = mineOrNone(clone, kind, name);
                    if (existing != null) {
                        return existing; // this clone made it (an earlier attempt whose answer was lost)
                    }
                    if (attempt >= retry.attempts()) {
                        throw new TransientFailure(what + ": still conflicting after " + attempt + " attempt(s): " + Failures.describe(e), e);
                    }
                    continue;
                }
                throw new ApplyRefused(Reasons.APPLY_FAILED, kind.getKind() + " " + clone.namespace() + "/" + name
                        + " was refused by the API server (" + e.getCode() + "): " + Failures.describe(e));
            }
        }
    }
}
