package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * SMBIOS identity, as KubeVirt's clone does it (vm-target.go): when the VM has a {@code firmware} block,
 * {@code firmware.uuid} is set to {@code ""} (KubeVirt then derives a new one) and {@code firmware.serial} to
 * {@code ""} or {@code newSMBiosSerial}. The block itself stays, so user patches on
 * {@code .../firmware/serial} or {@code .../firmware/uuid} apply as they do in KubeVirt; what is still
 * {@code ""} after the patches is dropped by {@link IdentityBlanks}, as the API server's Go types drop it.
 * Unlike KubeVirt (which ignores {@code newSMBiosSerial} without a {@code firmware} block) we create the
 * block, since the user asked for that serial.
 */
final class FirmwarePolicy {
    private FirmwarePolicy() {}

    static void apply(ObjectNode vm, String newSerial, List<String> changes) {
        ObjectNode domain = Nodes.obj(vm, "spec", "template", "spec", "domain");
        ObjectNode firmware = Nodes.obj(domain, "firmware");
        boolean setSerial = newSerial != null && !newSerial.isEmpty();
        if (firmware == null && setSerial && domain != null) {
            firmware = domain.putObject("firmware");
        }
        if (firmware == null) {
            return; // KubeVirt generates no firmware patches either
        }
        if (!firmware.path("uuid").asText("").isEmpty()) {
            changes.add("firmware uuid removed");
        }
        firmware.put("uuid", IdentityBlanks.BLANK);
        String oldSerial = firmware.path("serial").asText("");
        if (setSerial) {
            firmware.put("serial", newSerial);
            changes.add("firmware serial " + (oldSerial.isEmpty() ? "(none)" : oldSerial) + " -> " + newSerial + " (newSMBiosSerial)");
        } else {
            if (!oldSerial.isEmpty()) {
                changes.add("firmware serial " + oldSerial + " blanked");
            }
            firmware.put("serial", IdentityBlanks.BLANK);
        }
    }
}
