package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Persistent TPM or persistent EFI keep state in a backend-storage PVC that KubeVirt manages and that
 * neither KubeVirt's clone nor ours can copy; such sources are refused.
 */
final class BackendStorage {
    private BackendStorage() {}

    static boolean required(JsonNode vm) {
        JsonNode domain = vm.path("spec").path("template").path("spec").path("domain");
        return domain.path("devices").path("tpm").path("persistent").asBoolean(false)
                || domain.path("firmware").path("bootloader").path("efi").path("persistent").asBoolean(false);
    }
}
