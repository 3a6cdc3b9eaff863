package io.vmclone.runtime;

import io.vmclone.schemas.kube.KubeResources;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes API calls each service makes, by API group and resource: the least-privilege RBAC
 * in deploy/ is checked against this list (no more, no less). Keep it in step with the code.
 * The readiness check calls {@code GET /version}, which every authenticated identity may do.
 */
public final class ApiCalls {
    private ApiCalls() {}

    /** Verbs on one resource ({@code "virtualmachineclones/status"} for a subresource); {@code group} "" = core. */
    public record ApiCall(String group, String resource, Set<String> verbs) {}

    private static final String CLONES = KubeResources.CLONE_PLURAL;
    private static final String KUBEVIRT = KubeResources.VIRTUAL_MACHINE.getGroup();
    private static final String CDI = KubeResources.DATA_VOLUME.getGroup();
    private static final String SNAPSHOT = KubeResources.VM_SNAPSHOT.getGroup();

    /** Calls per service, for the clone API group {@code cloneGroup}. */
    public static Map<String, List<ApiCall>> byService(String cloneGroup) {
        return Map.of(
                SettingsCatalogue.BRIDGE, List.of(
                        // informer (list+watch) over clones; get/create for requests arriving on the intake and for the
                        // replicas of clone sets; delete for the unfinished clones of a set that is gone (CloneSetController)
                        new ApiCall(cloneGroup, CLONES, Set.of("get", "list", "watch", "create", "delete")),
                        // CloneSetController: an informer over sets, and their status
                        new ApiCall(KubeResources.CLONE_SET.getGroup(), KubeResources.CLONE_SET.getPlural(), Set.of("list", "watch")),
                        new ApiCall(KubeResources.CLONE_SET.getGroup(), KubeResources.CLONE_SET.getPlural() + "/status", Set.of("update")),
                        new ApiCall("authentication.k8s.io", "tokenreviews", Set.of("create")),
                        new ApiCall("authorization.k8s.io", "subjectaccessreviews", Set.of("create")),
                        // WatchLeadership: the Lease electing the one replica that watches clones (own namespace)
                        new ApiCall("coordination.k8s.io", "leases", Set.of("get", "create", "patch"))),
                SettingsCatalogue.PLANNER, List.of(
                        // SourceReader: point reads, plus a label-selected list of persistent-state PVCs (KubeVirt's
                        // backend storage has a generated name) for sources with a persistent TPM or EFI
                        new ApiCall(KUBEVIRT, KubeResources.VIRTUAL_MACHINE.getPlural(), Set.of("get")),
                        new ApiCall(KUBEVIRT, KubeResources.VIRTUAL_MACHINE_INSTANCE.getPlural(), Set.of("get")),
                        new ApiCall("", "persistentvolumeclaims", Set.of("get", "list")),
                        new ApiCall(CDI, KubeResources.DATA_VOLUME.getPlural(), Set.of("get")),
                        new ApiCall(SNAPSHOT, KubeResources.VM_SNAPSHOT.getPlural(), Set.of("get")),
                        new ApiCall(SNAPSHOT, KubeResources.VM_SNAPSHOT_CONTENT.getPlural(), Set.of("get"))),
                SettingsCatalogue.EXECUTOR, List.of(
                        // TargetApplier create (+get on 409), DataVolumeFollower's informers (list+watch),
                        // TargetCleaner lists by label and deletes
                        // patch: the run strategy asked for once every volume is copied (TargetStart)
                        new ApiCall(KUBEVIRT, KubeResources.VIRTUAL_MACHINE.getPlural(), Set.of("create", "get", "list", "watch", "patch", "delete")),
                        new ApiCall(CDI, KubeResources.DATA_VOLUME.getPlural(), Set.of("create", "get", "list", "watch", "delete")),
                        // DataVolumeFollower: CDI's target claims (clone strategy, fallback reason), label-selected,
                        // and CDI's CloneSourceInUse Events, selected by reason (informers: list+watch)
                        new ApiCall("", "persistentvolumeclaims", Set.of("list", "watch")),
                        new ApiCall("", "events", Set.of("list", "watch"))),
                SettingsCatalogue.STATUS_REPORTER, List.of(
                        new ApiCall(cloneGroup, CLONES, Set.of("get")),
                        new ApiCall(cloneGroup, CLONES + "/status", Set.of("update")),
                        new ApiCall("", "events", Set.of("create"))));
    }
}
