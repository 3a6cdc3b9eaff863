package io.vmclone.bridge.auth;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.kube.KubeResources;
import java.util.List;

/**
 * What a requester must be allowed to do for a clone: read its source and create what the clone creates
 * (the target VM and its DataVolumes). KubeVirt's own clone API checks none of this.
 */
public final class RequiredPermissions {
    private RequiredPermissions() {}

    /** In the order they are reported: the source first. {@code spec} must already be valid. */
    public static List<Permission> of(String namespace, CloneSpec spec) {
        boolean snapshot = CloneSpec.KIND_SNAPSHOT.equals(spec.source().kind());
        var source = snapshot ? KubeResources.VM_SNAPSHOT : KubeResources.VIRTUAL_MACHINE;
        return List.of(
                new Permission("get", source.getGroup(), source.getPlural(), namespace, spec.source().name()),
                new Permission("create", KubeResources.VIRTUAL_MACHINE.getGroup(), KubeResources.VIRTUAL_MACHINE.getPlural(), namespace, null),
                new Permission("create", KubeResources.DATA_VOLUME.getGroup(), KubeResources.DATA_VOLUME.getPlural(), namespace, null));
    }
}
