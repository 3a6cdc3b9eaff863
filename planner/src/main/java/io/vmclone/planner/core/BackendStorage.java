package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * KubeVirt's backend storage: the persistent-state PVC that holds a VM's persistent TPM and EFI state (and
 * changed-block-tracking state), outside the VM's spec. KubeVirt labels it {@code persistent-state-for=<vm>}
 * (names it {@code persistent-state-for-<vm>-<random>}; older ones are just {@code persistent-state-for-<vm>})
 * and takes the one labelled for a VM when that VM starts. The rules here are those of KubeVirt's
 * {@code backendstorage} package; see {@code docs/planning.md}.
 */
public final class BackendStorage {
    private BackendStorage() {}

    /** The label key, and the prefix of the claim's name and of KubeVirt's volume name for it. */
    public static final String LABEL = "persistent-state-for";
    public static final String TPM = "persistent TPM";
    public static final String EFI = "persistent EFI";
    public static final String CBT = "changed block tracking";
    private static final Set<String> CBT_STATES_WITH_STATE = Set.of("Initializing", "Enabled");

    /**
     * Why KubeVirt's {@code IsBackendStorageNeeded} says {@code vm} needs backend storage, empty when it does not:
     * a TPM that is enabled (unset means enabled) and persistent, a persistent EFI, and for a live VM (not one
     * stored in a snapshot, where KubeVirt ignores it) changed block tracking in state Initializing or Enabled.
     */
    public static List<String> needs(JsonNode vm, boolean storedInSnapshot) {
        List<String> needs = new ArrayList<>();
        JsonNode template = vm == null ? null : vm.path("spec").get("template");
        if (template == null || !template.isObject()) {
            return needs;
        }
        JsonNode domain = template.path("spec").path("domain");
        JsonNode tpm = domain.path("devices").path("tpm");
        if (tpm.isObject() && isUnsetOrTrue(tpm.get("enabled")) && isTrue(tpm.get("persistent"))) {
            needs.add(TPM);
        }
        if (isTrue(domain.path("firmware").path("bootloader").path("efi").get("persistent"))) {
            needs.add(EFI);
        }
        if (!storedInSnapshot && CBT_STATES_WITH_STATE.contains(vm.path("status").path("changedBlockTracking").path("state").asText(""))) {
            needs.add(CBT);
        }
        return needs;
    }

    public static boolean needed(JsonNode vm, boolean storedInSnapshot) {
        return !needs(vm, storedInSnapshot).isEmpty();
    }

    /** The name KubeVirt gives a VM's persistent-state claim before it labelled them, and still looks for. */
    public static String legacyClaimName(String vmName) {
        return LABEL + "-" + vmName;
    }

    /** KubeVirt's name for the backend volume of {@code vmName} (in snapshot volume backups and restore status). */
    static String volumeName(String vmName) {
        return KubevirtNames.getName(LABEL, vmName, Dns1123.MAX);
    }

    /**
     * The claim KubeVirt takes as {@code vmName}'s state among {@code claims}: the newest non-terminating one
     * labelled for it, else a non-terminating one with the legacy name; null when there is none.
     */
    static ObjectNode claimOf(String vmName, List<ObjectNode> claims) {
        List<ObjectNode> live = claims.stream().filter(c -> !c.path("metadata").has("deletionTimestamp")).toList();
        return live.stream().filter(c -> labelledFor(c, vmName))
                .max(Comparator.comparing((ObjectNode c) -> c.path("metadata").path("creationTimestamp").asText(""))
                        .thenComparing(c -> c.path("metadata").path("name").asText("")))
                .orElseGet(() -> live.stream().filter(c -> legacyClaimName(vmName).equals(Nodes.text(c, "metadata", "name")))
                        .findFirst().orElse(null));
    }

    /** Whether KubeVirt would take {@code claim} as {@code vmName}'s state (labelled for it, or named the legacy way). */
    static boolean heldFor(ObjectNode claim, String vmName) {
        return !claim.path("metadata").has("deletionTimestamp")
                && (labelledFor(claim, vmName) || legacyClaimName(vmName).equals(Nodes.text(claim, "metadata", "name")));
    }

    private static boolean labelledFor(ObjectNode claim, String vmName) {
        return vmName.equals(Nodes.text(claim, "metadata", "labels", LABEL));
    }

    private static boolean isTrue(JsonNode flag) {
        return flag != null && flag.isBoolean() && flag.booleanValue();
    }

    private static boolean isUnsetOrTrue(JsonNode flag) {
        return flag == null || flag.isNull() || isTrue(flag);
    }
}
