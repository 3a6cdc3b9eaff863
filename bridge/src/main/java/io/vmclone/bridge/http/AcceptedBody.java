package io.vmclone.bridge.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.KubeResources;

/**
 * The {@code 202 Accepted} body (the clone made now) and the {@code 200 OK} body of a replay (the clone the
 * request became earlier, which may be gone since): where to read its status and, for a replay, its phase as
 * last seen.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AcceptedBody(String namespace, String name, String location, String phase) {
    public static AcceptedBody of(CloneRef clone, String group) {
        return of(clone, group, null);
    }

    public static AcceptedBody of(CloneRef clone, String group, String phase) {
        return new AcceptedBody(clone.namespace(), clone.name(), location(clone, group), phase);
    }

    /** The clone's API path, e.g. {@code /apis/vmclone.io/v1beta1/namespaces/default/virtualmachineclones/x}. */
    public static String location(CloneRef clone, String group) {
        return "/apis/" + KubeResources.cloneApiVersion(group) + "/namespaces/" + clone.namespace() + "/"
                + KubeResources.CLONE_PLURAL + "/" + clone.name();
    }
}
