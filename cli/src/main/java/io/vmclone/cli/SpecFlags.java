package io.vmclone.cli;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TypedRef;
import io.vmclone.schemas.validation.CloneSpecValidator;
import io.vmclone.schemas.validation.SpecViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    @Option(names = "--storage-class", paramLabel = "[VOLUME=]CLASS",
            description = "vmclone extension: copy VOLUME (without VOLUME=, every volume) into this StorageClass (repeatable).")
    List<String> storageClasses;

    @Option(names = "--volume-mode", paramLabel = "[VOLUME=]MODE",
            description = "vmclone extension: Filesystem or Block for the copy of VOLUME (or every volume) (repeatable).")
    List<String> volumeModes;

    @Option(names = "--access-mode", paramLabel = "[VOLUME=]MODE",
            description = "vmclone extension: an access mode (ReadWriteOnce, ReadWriteMany, ...) for the copy of VOLUME (or every"
                    + " volume); repeat for several.")
    List<String> accessModes;

    @Option(names = "--target-run-strategy", paramLabel = "STRATEGY",
            description = "vmclone extension: the run strategy the clone gets once every volume is copied (Always,"
                    + " RerunOnFailure, Manual, Once); default: it stays Halted.")
    String targetRunStrategy;

    /** The spec for {@code source} → {@code target} (null/empty target: the planner generates a name). */
    public CloneSpec toSpec(String sourceName, String targetName) {
        if (sourceName == null || sourceName.isEmpty()) {
            throw new UsageException("source name must not be empty");
        }
        TypedRef source = sourceRef(sourceType, sourceName);
        TypedRef target = targetRef(targetType, targetName);
        CloneSpec.TemplateFilters template = templateLabelFilters == null && templateAnnotationFilters == null ? null
                : new CloneSpec.TemplateFilters(copy(templateLabelFilters), copy(templateAnnotationFilters));
        CloneSpec spec = CloneSpec.builder().source(source).target(target).labelFilters(copy(labelFilters))
                .annotationFilters(copy(annotationFilters)).template(template).newMacAddresses(macs(newMacAddresses))
                .newSMBiosSerial(emptyToNull(newSmbiosSerial)).patches(copy(patches))
                .volumeNamePolicy(emptyToNull(volumeNamePolicy)).backendStorage(emptyToNull(backendStorage))
                .volumeStorage(volumeStorage()).targetRunStrategy(emptyToNull(targetRunStrategy)).build();
        List<SpecViolation> violations = new CloneSpecValidator().validate(spec);
        if (!violations.isEmpty()) {
            SpecViolation first = violations.get(0);
            throw UsageException.field(first.field(), first.message());
        }
        return spec;
    }

    /** {@code --storage-class}, {@code --volume-mode} and {@code --access-mode}, gathered per volume ({@code *} without VOLUME=). */
    private List<CloneSpec.VolumeStorage> volumeStorage() {
        if (storageClasses == null && volumeModes == null && accessModes == null) {
            return null;
        }
        Map<String, String> classes = perVolume("--storage-class", storageClasses);
        Map<String, String> modes = perVolume("--volume-mode", volumeModes);
        Map<String, List<String>> access = new LinkedHashMap<>();
        for (String flag : accessModes == null ? List.<String>of() : accessModes) {
            String[] vm = volumeAndValue("--access-mode", flag);
            access.computeIfAbsent(vm[0], v -> new ArrayList<>()).add(vm[1]);
        }
        Set<String> volumes = new LinkedHashSet<>(classes.keySet());
        volumes.addAll(modes.keySet());
        volumes.addAll(access.keySet());
        return volumes.stream().map(v -> new CloneSpec.VolumeStorage(v, classes.get(v), access.get(v), modes.get(v))).toList();
    }

    private static Map<String, String> perVolume(String flag, List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String value : values == null ? List.<String>of() : values) {
            String[] vm = volumeAndValue(flag, value);
            if (out.putIfAbsent(vm[0], vm[1]) != null) {
                throw new UsageException(flag + ": volume " + vm[0] + " given twice");
            }
        }
        return out;
    }

    /** {@code VOLUME=VALUE}, or {@code VALUE} for every volume ({@code *}). */
    private static String[] volumeAndValue(String flag, String value) {
        int eq = value.indexOf('=');
        String volume = eq < 0 ? CloneSpec.VolumeStorage.EVERY_VOLUME : value.substring(0, eq);
        String v = eq < 0 ? value : value.substring(eq + 1);
        if (volume.isEmpty() || v.isEmpty()) {
            throw new UsageException(flag + ": expected [VOLUME=]VALUE, got '" + value + "'");
        }
        return new String[] {volume, v};
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
