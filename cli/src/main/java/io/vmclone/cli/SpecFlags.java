package io.vmclone.cli;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TypedRef;
import io.vmclone.schemas.validation.CloneSpecValidator;
import io.vmclone.schemas.validation.SpecViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The spec flags shared by {@code create clone} and {@code clone}: every {@code virtctl create clone} flag
 * except the names, plus {@code --patch}, {@code --volume-name-policy} and our {@code --backend-storage}
 * extension. {@link #toSpec} turns them into
 * a validated {@link CloneSpec} or a {@link UsageException} naming the flag or field.
 */
public final class SpecFlags {
    @Option(names = "--source-type", paramLabel = "TYPE", defaultValue = "vm",
            description = "vm (aliases VM, VirtualMachine, virtualmachine) or snapshot (aliases VirtualMachineSnapshot,"
                    + " vmsnapshot, VMSnapshot). Default: ${DEFAULT-VALUE}.")
    String sourceType = "vm";

    @Option(names = "--target-type", paramLabel = "TYPE", defaultValue = "vm",
            description = "vm (aliases VM, VirtualMachine, virtualmachine). Default: ${DEFAULT-VALUE}.")
    String targetType = "vm";

    @Option(names = "--label-filter", paramLabel = "FILTER",
            description = "Keep only VM labels matching (repeatable): key, prefix*, * or !negation.")
    List<String> labelFilters;

    @Option(names = "--annotation-filter", paramLabel = "FILTER", description = "Same, for VM annotations (repeatable).")
    List<String> annotationFilters;

    @Option(names = "--template-label-filter", paramLabel = "FILTER",
            description = "Same, for spec.template.metadata.labels (repeatable).")
    List<String> templateLabelFilters;

    @Option(names = "--template-annotation-filter", paramLabel = "FILTER",
            description = "Same, for spec.template.metadata.annotations (repeatable).")
    List<String> templateAnnotationFilters;

    @Option(names = "--new-mac-address", paramLabel = "IFACE:MAC",
            description = "MAC for one interface (repeatable), e.g. nic0:02:00:00:00:00:01 or nic0:02-00-00-00-00-01."
                    + " Split on the first colon only.")
    List<String> newMacAddresses;

    @Option(names = "--new-smbios-serial", paramLabel = "SERIAL", description = "SMBIOS serial of the clone (default: blanked).")
    String newSmbiosSerial;

    @Option(names = "--patch", paramLabel = "JSON",
            description = "One RFC 6902 operation as JSON, applied last (repeatable),"
                    + " e.g. '{\"op\":\"add\",\"path\":\"/spec/template/spec/domain/cpu/cores\",\"value\":4}'.")
    List<String> patches;

    @Option(names = "--volume-name-policy", paramLabel = "POLICY",
            description = "RandomizeNames (default) or PrefixTargetName (<target>-<volume>).")
    String volumeNamePolicy;

    @Option(names = "--backend-storage", paramLabel = "MODE",
            description = "vmclone extension, for a source with a persistent TPM or EFI: Fresh (default: the clone starts"
                    + " with new TPM/EFI state) or Copy (the source's persistent-state PVC is cloned too).")
    String backendStorage;

    /** The spec for {@code source} → {@code target} (null/empty target: the planner generates a name). */
    public CloneSpec toSpec(String sourceName, String targetName) {
        if (sourceName == null || sourceName.isEmpty()) {
            throw new UsageException("source name must not be empty");
        }
        TypedRef source = sourceRef(sourceType, sourceName);
        TypedRef target = targetRef(targetType, targetName);
        CloneSpec.TemplateFilters template = templateLabelFilters == null && templateAnnotationFilters == null ? null
                : new CloneSpec.TemplateFilters(copy(templateLabelFilters), copy(templateAnnotationFilters));
        CloneSpec spec = new CloneSpec(source, target, copy(labelFilters), copy(annotationFilters), template,
                macs(newMacAddresses), emptyToNull(newSmbiosSerial), copy(patches), emptyToNull(volumeNamePolicy),
                null, null, null, null, emptyToNull(backendStorage));
        List<SpecViolation> violations = new CloneSpecValidator().validate(spec);
        if (!violations.isEmpty()) {
            SpecViolation first = violations.get(0);
            throw UsageException.field(first.field(), first.message());
        }
        return spec;
    }

    /** virtctl's alias table for {@code --source-type}. */
    static TypedRef sourceRef(String type, String name) {
        return switch (type == null ? "" : type) {
            case "vm", "VM", "VirtualMachine", "virtualmachine" -> TypedRef.vm(name);
            case "snapshot", "VirtualMachineSnapshot", "vmsnapshot", "VMSnapshot" -> TypedRef.snapshot(name);
            default -> throw new UsageException("source type " + type + " is not supported. Supported types: vm, snapshot");
        };
    }

    /** virtctl's alias table for {@code --target-type}: only VirtualMachines can be made. */
    static TypedRef targetRef(String type, String name) {
        boolean vm = switch (type == null ? "" : type) {
            case "vm", "VM", "VirtualMachine", "virtualmachine" -> true;
            default -> false;
        };
        if (!vm) {
            throw new UsageException("target type " + type + " is not supported. Supported types: vm");
        }
        return name == null || name.isEmpty() ? null : TypedRef.vm(name);
    }

    /**
     * {@code iface:MAC} pairs. Unlike virtctl (which splits on every colon and so cannot take
     * {@code 02:00:00:00:00:01}), only the first colon separates the interface from the MAC.
     */
    static Map<String, String> macs(List<String> flags) {
        if (flags == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String flag : flags) {
            int colon = flag.indexOf(':');
            if (colon < 0) {
                throw new UsageException("--new-mac-address: expected <interface_name>:<mac_address>, got " + flag);
            }
            String iface = flag.substring(0, colon);
            String mac = flag.substring(colon + 1);
            if (iface.isEmpty()) {
                throw new UsageException("--new-mac-address: interface name cannot be empty (got " + flag + ")");
            }
            if (mac.isEmpty()) {
                throw new UsageException("--new-mac-address: mac address cannot be empty (got " + flag + ")");
            }
            if (out.putIfAbsent(iface, mac) != null) {
                throw new UsageException("--new-mac-address: interface " + iface + " given twice");
            }
        }
        return out;
    }

    private static List<String> copy(List<String> list) {
        return list == null ? null : new ArrayList<>(list);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
