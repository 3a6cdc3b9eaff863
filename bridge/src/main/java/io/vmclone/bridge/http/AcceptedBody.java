package io.vmclone.bridge.http;

import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.KubeResources;

/** The {@code 202 Accepted} body: the clone that was (or already had been) made, and where to read its status. */
public record AcceptedBody(String namespace, String name, String location) {
    public static AcceptedBody of(CloneRef clone, String group) {
        return new AcceptedBody(clone.namespace(), clone.name(), location(clone, group));
    }

    /** The clone's API path, e.g. {@code /apis/vmclone.io/v1beta1/namespaces/default/virtualmachineclones/x}. */
    public static String location(CloneRef clone, String group) {
        return "/apis/" + KubeResources.cloneApiVersion(group) + "/namespaces/" + clone.namespace() + "/"
                + KubeResources.CLONE_PLURAL + "/" + clone.name();
    }
}
