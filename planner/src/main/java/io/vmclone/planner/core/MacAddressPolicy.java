package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.validation.MacAddresses;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Interface MACs of the target (syntax of {@code newMacAddresses} is checked by
 * {@link MacAddresses} via {@code CloneSpecValidator}).
 *
 * <p>Every interface loses its MAC (so KubeMacPool or the network assigns a fresh one) unless
 * {@code newMacAddresses[iface]} names one, which is used as written — colon or dash form. "Blanked" means
 * {@code ""}, as KubeVirt writes it, so user patches on {@code .../macAddress} apply as in KubeVirt; a MAC
 * still blank after the patches is dropped ({@link IdentityBlanks}), as KubeVirt's stored VM has none.
 * Unlike KubeVirt, a {@code newMacAddresses} entry for an interface the source does not have is refused
 * rather than ignored: it is almost certainly a typo that would leave a duplicate MAC behind.
 */
final class MacAddressPolicy {
    private MacAddressPolicy() {}

    static void apply(ObjectNode vm, Map<String, String> newMacs, List<String> changes) {
        Map<String, String> requested = newMacs == null ? Map.of() : newMacs;
        ArrayNode interfaces = Nodes.array(vm, "spec", "template", "spec", "domain", "devices", "interfaces");
        Set<String> seen = new HashSet<>();
        if (interfaces != null) {
            for (JsonNode node : interfaces) {
                if (!node.isObject()) {
                    continue;
                }
                ObjectNode iface = (ObjectNode) node;
                String name = iface.path("name").asText("");
                seen.add(name);
                String old = iface.path("macAddress").asText("");
                String wanted = requested.get(name);
                if (wanted != null && !wanted.isEmpty()) {
                    iface.put("macAddress", wanted);
                    changes.add("interface " + name + ": MAC " + (old.isEmpty() ? "(none)" : old) + " -> " + wanted + " (newMacAddresses)");
                } else {
                    iface.put("macAddress", IdentityBlanks.BLANK);
                    if (!old.isEmpty()) {
                        changes.add("interface " + name + ": MAC " + old + " blanked");
                    }
                }
            }
        }
        Set<String> unknown = new TreeSet<>(requested.keySet());
        unknown.removeAll(seen);
        if (!unknown.isEmpty()) {
            String iface = unknown.iterator().next();
            throw new RejectedException(Reasons.INVALID_SPEC, "spec.newMacAddresses." + iface,
                    "newMacAddresses names interface " + iface + ", which the source VM does not have (interfaces: "
                            + String.join(", ", new TreeSet<>(seen)) + ")");
        }
    }

    /** {@code cloneNetwork: false}: no interfaces, no networks, and no automatic pod network either. */
    static void dropNetwork(ObjectNode vm, List<String> changes) {
        ObjectNode devices = Nodes.obj(vm, "spec", "template", "spec", "domain", "devices");
        ObjectNode vmiSpec = Nodes.vmiSpec(vm);
        ArrayNode interfaces = devices == null ? null : Nodes.array(devices, "interfaces");
        if (interfaces != null) {
            interfaces.forEach(i -> changes.add("interface " + i.path("name").asText() + " removed (cloneNetwork=false)"));
            devices.remove("interfaces");
        }
        ArrayNode networks = vmiSpec == null ? null : Nodes.array(vmiSpec, "networks");
        if (networks != null) {
            networks.forEach(n -> changes.add("network " + n.path("name").asText() + " removed (cloneNetwork=false)"));
            vmiSpec.remove("networks");
        }
        if (vmiSpec != null) {
            // Without this KubeVirt would attach a default pod network to an interface-less VM.
            Nodes.ensure(vmiSpec, "domain", "devices").put("autoattachPodInterface", false);
            changes.add("autoattachPodInterface set to false (cloneNetwork=false)");
        }
    }
}
