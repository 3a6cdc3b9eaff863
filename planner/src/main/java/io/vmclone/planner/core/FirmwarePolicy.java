package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * SMBIOS identity: {@code firmware.uuid} is always removed (KubeVirt then derives a new one) and
 * {@code firmware.serial} is removed or set from {@code newSMBiosSerial}. KubeVirt writes empty strings and
 * ignores {@code newSMBiosSerial} when the source has no {@code firmware} block; we create the block,
 * since the user asked for that serial.
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
            return;
        }
        if (firmware.remove("uuid") != null) {
            changes.add("firmware uuid removed");
        }
        String oldSerial = firmware.path("serial").asText("");
        if (setSerial) {
            firmware.put("serial", newSerial);
            changes.add("firmware serial " + (oldSerial.isEmpty() ? "(none)" : oldSerial) + " -> " + newSerial + " (newSMBiosSerial)");
        } else if (firmware.remove("serial") != null) {
            changes.add("firmware serial " + oldSerial + " blanked");
        }
        if (firmware.isEmpty()) {
            domain.remove("firmware"); // only identity was in it
        }
    }
}
