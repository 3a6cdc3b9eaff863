package io.vmclone.schemas.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The Kubernetes kinds the pipeline reads and writes, as fabric8 resource contexts (we use
 * GenericKubernetesResource rather than generated models, so the clone API group can be a setting).
 */
public final class KubeResources {
    private KubeResources() {}

    public static final String DEFAULT_CLONE_GROUP = "vmclone.io";
    public static final String KUBEVIRT_CLONE_GROUP = "clone.kubevirt.io";
    public static final String CLONE_VERSION = "v1beta1";
    public static final String CLONE_KIND = "VirtualMachineClone";
    public static final String CLONE_PLURAL = "virtualmachineclones";
    public static final String ENV_CLONE_GROUP = "VMCLONE_API_GROUP";

    public static final ResourceDefinitionContext VIRTUAL_MACHINE = context("kubevirt.io", "v1", "VirtualMachine", "virtualmachines");
    public static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCE =
            context("kubevirt.io", "v1", "VirtualMachineInstance", "virtualmachineinstances");
    public static final ResourceDefinitionContext DATA_VOLUME = context("cdi.kubevirt.io", "v1beta1", "DataVolume", "datavolumes");
    public static final ResourceDefinitionContext VM_SNAPSHOT =
            context("snapshot.kubevirt.io", "v1beta1", "VirtualMachineSnapshot", "virtualmachinesnapshots");
    public static final ResourceDefinitionContext VM_SNAPSHOT_CONTENT =
            context("snapshot.kubevirt.io", "v1beta1", "VirtualMachineSnapshotContent", "virtualmachinesnapshotcontents");

    /**
     * VirtualMachineCloneSet (a vmclone extension), always in our own group: KubeVirt has no such kind, so a
     * deployment serving KubeVirt's clone group still keeps its sets here.
     */
    public static final ResourceDefinitionContext CLONE_SET =
            context(DEFAULT_CLONE_GROUP, "v1alpha1", "VirtualMachineCloneSet", "virtualmachineclonesets");

    /** The VirtualMachineClone resource in {@code group} (ours by default, or KubeVirt's). */
    public static ResourceDefinitionContext clones(String group) {
        return context(group, CLONE_VERSION, CLONE_KIND, CLONE_PLURAL);
    }

    public static String cloneApiVersion(String group) {
        return group + "/" + CLONE_VERSION;
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
    }
}
