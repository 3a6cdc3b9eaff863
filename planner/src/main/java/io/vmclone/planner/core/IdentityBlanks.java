package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * KubeVirt blanks interface MACs, the SMBIOS serial and the firmware uuid with {@code replace ... ""} ops
 * and appends the user's patches after them, so those patches always find the members. The VM is then
 * stored through Go types whose {@code omitempty} drops the empty strings. We write {@code ""} before the
 * user patches, for the same patch behaviour, and drop what is still {@code ""} after them, for the same
 * stored VM. A {@code firmware} block left empty stays ({@code firmware: {}}), as in KubeVirt.
 */
final class IdentityBlanks {
    private IdentityBlanks() {}

    static final String BLANK = "";

    static void dropAfterPatches(ObjectNode vm) {
        for (JsonNode iface : vm.path("spec").path("template").path("spec").path("domain").path("devices").path("interfaces")) {
            dropIfBlank(iface, "macAddress");
        }
        JsonNode firmware = vm.path("spec").path("template").path("spec").path("domain").path("firmware");
        dropIfBlank(firmware, "uuid");
        dropIfBlank(firmware, "serial");
    }

    private static void dropIfBlank(JsonNode parent, String field) {
        if (parent instanceof ObjectNode o && o.path(field).isTextual() && o.path(field).asText().isEmpty()) {
            o.remove(field);
        }
    }
}
