package io.vmclone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.KubeResources;
import java.util.List;

/**
 * A VirtualMachineClone manifest read from a file, in our group or KubeVirt's ({@code v1beta1} and
 * {@code v1alpha1} share these fields), so users can dry-run the manifests they already have.
 */
record CloneManifest(CloneRef ref, CloneSpec spec) {
    static final List<String> ACCEPTED_API_VERSIONS = List.of(
            KubeResources.cloneApiVersion(KubeResources.DEFAULT_CLONE_GROUP),
            KubeResources.KUBEVIRT_CLONE_GROUP + "/v1beta1",
            KubeResources.KUBEVIRT_CLONE_GROUP + "/v1alpha1");

    /** Placeholder uid of a clone that is not in a cluster: generated names derive from it, stable across runs. */
    static final String DRY_RUN_UID = "dry-run";

    static CloneManifest from(ObjectNode doc, String fileName, String defaultNamespace) {
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        if (!KubeResources.CLONE_KIND.equals(kind)) {
            throw UsageException.field(fileName + ": kind", "expected " + KubeResources.CLONE_KIND + ", got '" + kind + "'");
        }
        if (!ACCEPTED_API_VERSIONS.contains(apiVersion)) {
            throw UsageException.field(fileName + ": apiVersion", "'" + apiVersion + "' is not supported; use one of "
                    + String.join(", ", ACCEPTED_API_VERSIONS));
        }
        JsonNode spec = doc.get("spec");
        if (spec == null || !spec.isObject()) {
            throw UsageException.field(fileName + ": spec", "is required");
        }
        CloneSpec cloneSpec;
        try {
            cloneSpec = Json.MAPPER.treeToValue(spec, CloneSpec.class);
        } catch (Exception e) {
            throw UsageException.field(fileName + ": spec", "has the wrong shape: " + Vmclone.describe(e));
        }
        JsonNode meta = doc.path("metadata");
        String ns = meta.path("namespace").asText("");
        String name = meta.path("name").asText("");
        String uid = meta.path("uid").asText("");
        return new CloneManifest(new CloneRef(ns.isEmpty() ? defaultNamespace : ns, name.isEmpty() ? "dry-run" : name,
                uid.isEmpty() ? DRY_RUN_UID : uid), cloneSpec);
    }
}
