package io.vmclone.cli.sandbox;

import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.MockCluster;
import java.util.List;

/**
 * API discovery for kubectl. The mock server answers {@code /apis/<group>/<version>} but not the root
 * lists kubectl starts from ({@code /api}, {@code /apis}, {@code /api/v1}); these canned answers name the
 * kinds the sandbox stores, so {@code kubectl get virtualmachines,datavolumes,virtualmachineclones.vmclone.io}
 * works against it.
 */
final class SandboxDiscovery {
    private SandboxDiscovery() {}

    static void install(MockCluster cluster) {
        String apiVersions = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}";
        StringBuilder groups = new StringBuilder("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[");
        List<String[]> groupVersions = List.of(
                new String[] {"kubevirt.io", "v1"},
                new String[] {"cdi.kubevirt.io", "v1beta1"},
                new String[] {"snapshot.kubevirt.io", "v1beta1"},
                new String[] {cluster.cloneGroup(), KubeResources.CLONE_VERSION},
                new String[] {"apiextensions.k8s.io", "v1"});
        for (int i = 0; i < groupVersions.size(); i++) {
            String group = groupVersions.get(i)[0];
            String gv = group + "/" + groupVersions.get(i)[1];
            groups.append(i == 0 ? "" : ",").append("{\"name\":\"").append(group).append("\",\"versions\":[{\"groupVersion\":\"")
                    .append(gv).append("\",\"version\":\"").append(groupVersions.get(i)[1])
                    .append("\"}],\"preferredVersion\":{\"groupVersion\":\"").append(gv).append("\",\"version\":\"")
                    .append(groupVersions.get(i)[1]).append("\"}}");
        }
        groups.append("]}");
        String core = "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
                + resource("namespaces", "Namespace", false) + ","
                + resource("persistentvolumeclaims", "PersistentVolumeClaim", true) + ","
                + resource("events", "Event", true) + "]}";
        String extensions = "{\"kind\":\"APIResourceList\",\"groupVersion\":\"apiextensions.k8s.io/v1\",\"resources\":["
                + resource("customresourcedefinitions", "CustomResourceDefinition", false) + "]}";
        answer(cluster, "/api", apiVersions);
        answer(cluster, "/apis", groups.toString());
        answer(cluster, "/api/v1", core);
        answer(cluster, "/apis/apiextensions.k8s.io/v1", extensions);
        answer(cluster, "/apis/kubevirt.io/v1", list("kubevirt.io/v1", resource("virtualmachines", "VirtualMachine", true),
                resource("virtualmachineinstances", "VirtualMachineInstance", true)));
        answer(cluster, "/apis/cdi.kubevirt.io/v1beta1", list("cdi.kubevirt.io/v1beta1", resource("datavolumes", "DataVolume", true)));
        answer(cluster, "/apis/snapshot.kubevirt.io/v1beta1", list("snapshot.kubevirt.io/v1beta1",
                resource("virtualmachinesnapshots", "VirtualMachineSnapshot", true),
                resource("virtualmachinesnapshotcontents", "VirtualMachineSnapshotContent", true)));
        answer(cluster, "/apis/" + KubeResources.cloneApiVersion(cluster.cloneGroup()), list(KubeResources.cloneApiVersion(cluster.cloneGroup()),
                resource(KubeResources.CLONE_PLURAL, KubeResources.CLONE_KIND, true)));
    }

    private static String list(String groupVersion, String... resources) {
        return "{\"kind\":\"APIResourceList\",\"groupVersion\":\"" + groupVersion + "\",\"resources\":["
                + String.join(",", resources) + "]}";
    }

    private static String resource(String plural, String kind, boolean namespaced) {
        return "{\"name\":\"" + plural + "\",\"kind\":\"" + kind + "\",\"namespaced\":" + namespaced
                + ",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}";
    }

    /** kubectl adds {@code ?timeout=32s} to discovery requests; answer both forms. */
    private static void answer(MockCluster cluster, String path, String body) {
        cluster.server().expect().get().withPath(path).andReturn(200, body).always();
        cluster.server().expect().get().withPath(path + "?timeout=32s").andReturn(200, body).always();
    }
}
