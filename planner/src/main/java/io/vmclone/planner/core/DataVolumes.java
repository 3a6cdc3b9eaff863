package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CdiAnnotations;
import io.vmclone.schemas.kube.CloneLabels;

/** A planned CDI DataVolume manifest, owned by the clone. */
final class DataVolumes {
    private DataVolumes() {}

    /** {@code volume} names what it copies (a VM volume, or KubeVirt's backend volume): progress is reported per volume. */
    static ObjectNode manifest(CloneRef clone, String name, String volume, ObjectNode source, ClaimStorage storage) {
        ObjectNode dv = Json.MAPPER.createObjectNode();
        dv.put("apiVersion", "cdi.kubevirt.io/v1beta1");
        dv.put("kind", "DataVolume");
        ObjectNode metadata = dv.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", clone.namespace());
        Ownership.stamp(metadata, clone);
        Nodes.ensure(metadata, "annotations").put(CloneLabels.VOLUME, volume);
        // The target is created halted: on WaitForFirstConsumer storage CDI would wait for a pod that never
        // comes and copy nothing. This asks CDI to bind and copy at once.
        Nodes.ensure(metadata, "annotations").put(CdiAnnotations.BIND_IMMEDIATE, "true");
        ObjectNode spec = dv.putObject("spec");
        spec.set("source", source);
        spec.set("storage", storage.toStorageSpec());
        return dv;
    }
}
