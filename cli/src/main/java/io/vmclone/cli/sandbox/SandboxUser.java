package io.vmclone.cli.sandbox;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.vmclone.testsupport.kube.RealCluster;

/**
 * The user the real-API sandbox hands out for the HTTP door and kubectl: ServiceAccount {@value #NAME} in the
 * samples' namespace, allowed to create and read VirtualMachineClones there and nothing else, so the bridge's
 * TokenReview and SubjectAccessReview answer for a real identity.
 */
final class SandboxUser {
    static final String NAME = "sandbox-user";

    private SandboxUser() {}

    /** Creates the ServiceAccount and its Role and RoleBinding; returns a token for it, for the bridge's audience. */
    static String create(RealCluster cluster, String namespace, String cloneGroup) {
        var kube = cluster.client();
        cluster.ensureServiceAccount(namespace, NAME);
        kube.rbac().roles().inNamespace(namespace).resource(new RoleBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups(cloneGroup).withResources("virtualmachineclones")
                        .withVerbs("create", "get", "list", "watch").build())
                .build()).serverSideApply();
        kube.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(NAME).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(namespace).endSubject()
                .build()).serverSideApply();
        return cluster.requestToken(namespace, NAME, java.util.List.of(io.vmclone.bridge.BridgeSettings.DEFAULT_TOKEN_AUDIENCE));
    }
}
