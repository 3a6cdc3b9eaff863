package io.vmclone.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the planned objects, idempotently: create, and on AlreadyExists accept the object only if it
 * carries this clone's uid label (a replay), never a stranger's. Create, not server-side apply: apply
 * would silently take over an object of the same name (see docs/executor.md).
 */
public final class TargetApplier {
    /** The plan could not be applied; {@code reason} from {@link io.vmclone.schemas.Reasons}. */
    public static final class ApplyRefused extends Exception {
        private final String reason;

        public ApplyRefused(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final KubernetesClient kube;

    public TargetApplier(KubernetesClient kube) {
        this.kube = kube;
    }

    /** Creates (or finds, on replay) the VM and its DataVolumes; returns the DataVolume names. */
    public List<String> apply(CloneRef clone, ObjectNode vmManifest, List<ObjectNode> dataVolumes) throws ApplyRefused {
        GenericKubernetesResource vm = createOrAdopt(clone, KubeResources.VIRTUAL_MACHINE, toResource(vmManifest, clone));
        List<String> names = new ArrayList<>();
        for (ObjectNode manifest : dataVolumes) {
            GenericKubernetesResource dv = toResource(manifest, clone);
            // Deleting the target VM garbage-collects its DataVolumes.
            dv.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                    .withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                    .withName(vm.getMetadata().getName()).withUid(vm.getMetadata().getUid())
                    .withBlockOwnerDeletion(false).withController(false).build()));
            names.add(createOrAdopt(clone, KubeResources.DATA_VOLUME, dv).getMetadata().getName());
        }
        return names;
    }

    private GenericKubernetesResource createOrAdopt(CloneRef clone, ResourceDefinitionContext kind, GenericKubernetesResource object)
            throws ApplyRefused {
        var ops = kube.genericKubernetesResources(kind).inNamespace(clone.namespace());
        try {
            return ops.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                GenericKubernetesResource existing = ops.withName(object.getMetadata().getName()).get();
                if (existing != null && ownedBy(existing, clone)) {
                    return existing; // made by this clone on an earlier attempt
                }
                throw new ApplyRefused(io.vmclone.schemas.Reasons.TARGET_EXISTS, kind.getKind() + " " + clone.namespace() + "/"
                        + object.getMetadata().getName() + " already exists and was not created by this clone; it was left untouched");
            }
            if (e.getCode() == 400 || e.getCode() == 422) {
                throw new ApplyRefused(io.vmclone.schemas.Reasons.APPLY_FAILED, kind.getKind() + " "
                        + object.getMetadata().getName() + " was refused by the API server: " + io.vmclone.runtime.Failures.describe(e));
            }
            throw e;
        }
    }

    static boolean ownedBy(GenericKubernetesResource object, CloneRef clone) {
        var labels = object.getMetadata().getLabels();
        return labels != null && clone.uid() != null && clone.uid().equals(labels.get(CloneLabels.CLONE_UID));
    }

    private static GenericKubernetesResource toResource(ObjectNode manifest, CloneRef clone) {
        GenericKubernetesResource r = Json.MAPPER.convertValue(manifest, GenericKubernetesResource.class);
        r.getMetadata().setNamespace(clone.namespace());
        var labels = r.getMetadata().getLabels() == null ? new java.util.HashMap<String, String>()
                : new java.util.HashMap<>(r.getMetadata().getLabels());
        labels.put(CloneLabels.CLONE_UID, clone.uid());
        labels.put(CloneLabels.CLONE_NAME, clone.name());
        r.getMetadata().setLabels(labels);
        return r;
    }
}
