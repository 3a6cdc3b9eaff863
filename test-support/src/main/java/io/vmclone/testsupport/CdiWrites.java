package io.vmclone.testsupport;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.KubeResources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes the simulated CDI makes, shaped as CDI's (containerized-data-importer at c07cdb6): the target claim
 * named like the DataVolume with the DataVolume's labels and the clone annotations, {@code cloneType} copied onto
 * the DataVolume, the DataVolume's status with its Bound, Ready and Running conditions in that order, and Events.
 */
final class CdiWrites {
    private CdiWrites() {}

    /** One DataVolume condition. */
    record Condition(String status, String reason, String message) {}

    static final Condition RUNNING = new Condition("True", "Populator is running", "");
    static final Condition PENDING = new Condition("False", "Pending", "Clone Pending");
    static final Condition COMPLETED = new Condition("False", "Completed", "Clone Complete");

    static Condition claimPending(String claim) {
        return new Condition("False", "Pending", "PVC " + claim + " Pending");
    }

    /** CDI 1.66+: the claim's latest event, after the claim's name ("target PVC x Pending and ..."). */
    static Condition claimPendingBecause(String claim, String latestEvent) {
        return new Condition("False", "Pending", "target PVC " + claim + " Pending and " + latestEvent);
    }

    static Condition claimBound(String claim) {
        return new Condition("True", "Bound", "PVC " + claim + " Bound");
    }

    /**
     * Writes the DataVolume's status through {@code /status}, as CDI does (a real API server ignores status in a
     * main-resource update). Returns false if the DataVolume is gone (deleted meanwhile): nothing more to do.
     */
    static boolean status(KubernetesClient client, String ns, String name, String phase, String progress, Condition bound,
                          Condition running) {
        for (int attempt = 0; attempt < 5; attempt++) {
            var resource = client.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(ns).withName(name);
            GenericKubernetesResource dv = resource.get();
            if (dv == null) {
                return false;
            }
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("phase", phase);
            status.put("progress", progress);
            status.put("claimName", name);
            if (bound != null) {
                boolean ready = "Succeeded".equals(phase);
                status.put("conditions", List.of(condition("Bound", bound), condition("Ready", new Condition(ready ? "True" : "False", "", "")),
                        condition("Running", running)));
            }
            dv.getAdditionalProperties().put("status", status);
            try {
                client.resource(dv).updateStatus();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        return true;
    }

    private static Map<String, Object> condition(String type, Condition c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("status", c.status());
        m.put("reason", c.reason());
        m.put("message", c.message());
        return m;
    }

    /**
     * CDI's target claim: the DataVolume's name, labels and claim spec, owned by the DataVolume, annotated with the
     * clone type and (after a fallback) the reason. Returns its uid (the Events' involved object), or null if the API
     * refused it.
     */
    static String claim(KubernetesClient client, GenericKubernetesResource dv, SimulatedCloneMode mode) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(CdiAnnotations.CLONE_TYPE, mode.strategy());
        if (mode.fallbackReason() != null) {
            annotations.put(CdiAnnotations.CLONE_FALLBACK_REASON, mode.fallbackReason());
        }
        var meta = dv.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(Map.of("app", "containerized-data-importer"));
        if (meta.getLabels() != null) {
            labels.putAll(meta.getLabels()); // CDI copies the DataVolume's labels (ours: the clone's uid) onto its claim
        }
        Map<String, Object> storage = claimSpec(dv);
        Object size = storage.get("resources") instanceof Map<?, ?> r && r.get("requests") instanceof Map<?, ?> q ? q.get("storage") : null;
        PersistentVolumeClaim pvc = new PersistentVolumeClaimBuilder().withNewMetadata().withName(meta.getName())
                .withNamespace(meta.getNamespace()).withLabels(labels).withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(dv.getApiVersion()).withKind("DataVolume")
                        .withName(meta.getName()).withUid(meta.getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec().withAccessModes(strings(storage.get("accessModes"), "ReadWriteOnce"))
                .withStorageClassName(storage.get("storageClassName") instanceof String sc ? sc : null)
                .withVolumeMode(storage.get("volumeMode") instanceof String vm ? vm : null)
                .withNewResources().addToRequests("storage", new Quantity(size == null ? "1Gi" : size.toString())).endResources()
                .endSpec().build();
        try {
            return client.persistentVolumeClaims().inNamespace(meta.getNamespace()).resource(pvc).create().getMetadata().getUid();
        } catch (KubernetesClientException e) {
            PersistentVolumeClaim existing = e.getCode() == 409
                    ? client.persistentVolumeClaims().inNamespace(meta.getNamespace()).withName(meta.getName()).get() : null;
            return existing == null ? null : existing.getMetadata().getUid();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claimSpec(GenericKubernetesResource dv) {
        if (dv.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec) {
            for (String key : new String[] {"storage", "pvc"}) {
                if (spec.get(key) instanceof Map<?, ?> claim) {
                    return (Map<String, Object>) claim;
                }
            }
        }
        return Map.of();
    }

    private static List<String> strings(Object list, String otherwise) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(o -> out.add(o.toString()));
        }
        return out.isEmpty() ? List.of(otherwise) : out;
    }

    /** CDI copies the claim's {@code cloneType} onto the DataVolume (a metadata write, not a status one). */
    static void annotateCloneType(KubernetesClient client, String ns, String name, String strategy) {
        String patch = Json.MAPPER.createObjectNode().set("metadata", Json.MAPPER.createObjectNode().set("annotations",
                Json.MAPPER.createObjectNode().put(CdiAnnotations.CLONE_TYPE, strategy))).toString();
        try {
            client.genericKubernetesResources(KubeResources.DATA_VOLUME).inNamespace(ns).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** The claim bound (CDI's last step of a clone), best effort: the simulator's claims serve only to be read. */
    static void bind(KubernetesClient client, String ns, String name) {
        try {
            PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
            if (pvc != null) {
                pvc.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
                        .addToCapacity(pvc.getSpec().getResources().getRequests()).build());
                client.persistentVolumeClaims().inNamespace(ns).resource(pvc).updateStatus();
            }
        } catch (KubernetesClientException e) {
            // best effort
        }
    }

    /** The garbage collector's part (tests run none): a deleted DataVolume's claim goes with it. */
    static void deleteClaim(KubernetesClient client, String ns, String name, String dvUid) {
        try {
            PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
            if (pvc != null && pvc.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(dvUid))) {
                client.persistentVolumeClaims().inNamespace(ns).withName(name).delete();
            }
        } catch (KubernetesClientException e) {
            // best effort
        }
    }

    /** A Warning Event on the target claim, as CDI's clone-populator records it; {@code key} makes its name unique. */
    static void warnOnClaim(KubernetesClient client, String ns, String claim, String claimUid, String reason, String message, String key) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String name = claim + "." + Integer.toHexString((reason + key).hashCode() & 0x7fffffff);
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
                            .withNamespace(ns).withName(claim).withUid(claimUid).build())
                    .withType("Warning").withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("clone-populator").endSource().build()).create();
        } catch (KubernetesClientException e) {
            // best effort, as client-go's recorder; 409: recorded already
        }
    }
}
