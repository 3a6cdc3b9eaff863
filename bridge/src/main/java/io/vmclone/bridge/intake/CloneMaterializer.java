package io.vmclone.bridge.intake;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.vmclone.bridge.intake.RequestOutcome.Accepted;
import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.runtime.TransientFailure;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.schemas.kube.VirtualMachineClones;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an accepted external request into a VirtualMachineClone resource, exactly once per CloudEvent
 * source + id: an earlier clone of the same request (found by its request-key label, or by a 409 on
 * its name) is the same request if its digest matches, and a conflicting duplicate otherwise.
 */
public final class CloneMaterializer {
    private final KubernetesClient kube;
    private final String group;

    public CloneMaterializer(KubernetesClient kube, String group) {
        this.kube = kube;
        this.group = group;
    }

    public RequestOutcome materialise(ExternalRequest r, Requester requester) throws TransientFailure {
        String ns = r.request().namespace();
        String key = RequestKeys.requestKey(r.source(), r.id());
        String digest = RequestKeys.digest(r.request());
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> clones =
                kube.genericKubernetesResources(KubeResources.clones(group));

        // The same request may have been materialised under another name (a different desired name is a conflict).
        List<GenericKubernetesResource> earlier = clones.inNamespace(ns).withLabel(CloneLabels.REQUEST_KEY, key).list().getItems()
                .stream().filter(c -> RequestAnnotations.madeFor(c.getMetadata().getAnnotations(), r.source(), r.id())).toList();
        if (!earlier.isEmpty()) {
            return sameOrConflict(earlier.get(0), r, digest);
        }

        GenericKubernetesResource resource = VirtualMachineClones.newResource(group, ns, r.cloneName(), r.request().spec(),
                RequestAnnotations.of(r, requester, digest));
        Map<String, String> labels = new HashMap<>();
        labels.put(CloneLabels.REQUEST_KEY, key);
        resource.getMetadata().setLabels(labels);
        try {
            GenericKubernetesResource created = clones.inNamespace(ns).resource(resource).create();
            return new Accepted(VirtualMachineClones.ref(created), true);
        } catch (KubernetesClientException e) {
            return switch (e.getCode()) {
                case 409 -> onNameTaken(clones, r, digest);
                case 404 -> new Refused(Kind.INVALID, Reasons.INVALID_REQUEST, "data.namespace",
                        "namespace '" + ns + "' does not exist");
                case 422 -> new Refused(Kind.INVALID, Reasons.INVALID_SPEC, "data.spec",
                        "the API server refused the clone: " + message(e));
                default -> throw e;
            };
        }
    }

    private RequestOutcome onNameTaken(MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> clones, ExternalRequest r, String digest) throws TransientFailure {
        String ns = r.request().namespace();
        GenericKubernetesResource existing = clones.inNamespace(ns).withName(r.cloneName()).get();
        if (existing == null) {
            throw new TransientFailure("clone " + ns + "/" + r.cloneName() + " was deleted while it was being created; trying again");
        }
        if (RequestAnnotations.madeFor(existing.getMetadata().getAnnotations(), r.source(), r.id())) {
            return sameOrConflict(existing, r, digest);
        }
        return new Refused(Kind.CONFLICT, Reasons.INVALID_REQUEST, "data.name",
                "a VirtualMachineClone named " + ns + "/" + r.cloneName() + " already exists and was not made by this request");
    }

    private static RequestOutcome sameOrConflict(GenericKubernetesResource existing, ExternalRequest r, String digest) {
        Map<String, String> annotations = existing.getMetadata().getAnnotations();
        if (digest.equals(annotations.get(CloneLabels.REQUEST_DIGEST))) {
            return new Accepted(VirtualMachineClones.ref(existing), false);
        }
        return new Refused(Kind.CONFLICT, Reasons.INVALID_REQUEST, "id",
                "request id '" + r.id() + "' from source '" + r.source() + "' was already used for a different request (clone "
                        + existing.getMetadata().getNamespace() + "/" + existing.getMetadata().getName() + ")");
    }

    private static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }
}
