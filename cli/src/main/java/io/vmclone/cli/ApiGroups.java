package io.vmclone.cli;

import io.vmclone.schemas.kube.KubeResources;
import java.util.regex.Pattern;

/** The {@code --api-group} flag: ours ({@code vmclone.io}) by default, KubeVirt's or any other DNS subdomain. */
final class ApiGroups {
    private ApiGroups() {}

    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** The group from the flag, else {@code VMCLONE_API_GROUP}, else {@code vmclone.io}. */
    static String resolve(String flag) {
        String group = flag != null ? flag : System.getenv(KubeResources.ENV_CLONE_GROUP);
        if (group == null || group.isBlank()) {
            return KubeResources.DEFAULT_CLONE_GROUP;
        }
        if (!SUBDOMAIN.matcher(group).matches() || group.length() > 253) {
            throw new UsageException("--api-group: '" + group + "' is not a valid API group (a DNS subdomain such as "
                    + KubeResources.DEFAULT_CLONE_GROUP + " or " + KubeResources.KUBEVIRT_CLONE_GROUP + ")");
        }
        return group;
    }
}
