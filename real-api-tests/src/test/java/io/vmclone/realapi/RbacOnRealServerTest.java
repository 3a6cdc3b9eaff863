package io.vmclone.realapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vmclone.runtime.ApiCalls;
import io.vmclone.runtime.SettingsCatalogue;
import io.vmclone.schemas.kube.KubeResources;
import io.vmclone.testsupport.kube.RealCluster;
import io.vmclone.testsupport.kube.RealClusterExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The RBAC in deploy/base, as the real authorizer applies it to each service's ServiceAccount token: every call
 * {@link ApiCalls} lists for a service is allowed, and calls a service has no business making are denied.
 */
@ExtendWith(RealClusterExtension.class)
class RbacOnRealServerTest {
    private static final String SOME_NAMESPACE = "team-a";

    @Test
    void everyListedCallIsAllowedToItsServiceByTheShippedRbac(RealCluster cluster) {
        List<String> denied = new ArrayList<>();
        ApiCalls.byService(KubeResources.DEFAULT_CLONE_GROUP).forEach((service, calls) -> {
            KubernetesClient client = cluster.serviceClient(service);
            for (ApiCalls.ApiCall call : calls) {
                for (String verb : call.verbs()) {
                    if (!allowed(client, call.group(), call.resource(), verb, namespaceFor(call))) {
                        denied.add(service + ": " + verb + " " + call.group() + "/" + call.resource());
                    }
                }
            }
        });
        assertThat(denied).as("calls the services make that deploy/base does not grant").isEmpty();
    }

    @Test
    void callsOutsideEachServicesJobAreDenied(RealCluster cluster) {
        Map<String, List<String[]>> forbidden = Map.of(
                SettingsCatalogue.PLANNER, List.<String[]>of(new String[] {"kubevirt.io", "virtualmachines", "create"},
                        new String[] {"", "secrets", "get"}),
                SettingsCatalogue.EXECUTOR, List.<String[]>of(new String[] {"", "secrets", "list"},
                        new String[] {"vmclone.io", "virtualmachineclones/status", "update"}),
                SettingsCatalogue.STATUS_REPORTER, List.<String[]>of(new String[] {"vmclone.io", "virtualmachineclones", "update"},
                        new String[] {"kubevirt.io", "virtualmachines", "delete"}),
                SettingsCatalogue.BRIDGE, List.<String[]>of(new String[] {"vmclone.io", "virtualmachineclones", "update"},
                        new String[] {"vmclone.io", "virtualmachineclonesets", "create"},
                        new String[] {"cdi.kubevirt.io", "datavolumes", "create"}));
        List<String> allowed = new ArrayList<>();
        forbidden.forEach((service, calls) -> {
            KubernetesClient client = cluster.serviceClient(service);
            for (String[] c : calls) {
                if (allowed(client, c[0], c[1], c[2], SOME_NAMESPACE)) {
                    allowed.add(service + ": " + c[2] + " " + c[0] + "/" + c[1]);
                }
            }
        });
        assertThat(allowed).as("calls deploy/base grants beyond what a service does").isEmpty();
    }

    /** Leases live in the bridge's own namespace; reviews are cluster-scoped; everything else in any namespace. */
    private static String namespaceFor(ApiCalls.ApiCall call) {
        if (call.resource().equals("leases")) {
            return RealCluster.SYSTEM_NAMESPACE;
        }
        return call.resource().endsWith("reviews") ? null : SOME_NAMESPACE;
    }

    private static boolean allowed(KubernetesClient client, String group, String resource, String verb, String namespace) {
        String[] parts = resource.split("/", 2);
        SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes()
                .withGroup(group).withResource(parts[0]).withSubresource(parts.length > 1 ? parts[1] : null)
                .withVerb(verb).withNamespace(namespace)
                .endResourceAttributes().endSpec().build());
        return Boolean.TRUE.equals(review.getStatus().getAllowed());
    }
}
