package io.vmclone.schemas.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TypedRef;
import io.vmclone.schemas.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Static checks of a clone spec: KubeVirt's {@code vmclone-admitter} rules and messages (the fields are
 * named with our JSON paths, e.g. {@code spec.source.kind} where KubeVirt says {@code spec.Source.Kind}),
 * plus what KubeVirt only finds later or never: target name syntax, patch op/path (KubeVirt's restore
 * admitter), {@code volumeNamePolicy} enum (KubeVirt leaves it to the CRD schema), and our {@code backendStorage}
 * extension's enum. Pure: it never looks at the cluster, so "source exists" is the planner's business, as in
 * KubeVirt since PR #11964.
 */
public final class CloneSpecValidator {

    public static final int MAX_NAME_LENGTH = 63;
    /** Largest spec accepted, as JSON: a bigger one could not be carried by the pipeline's Kafka records. */
    public static final int MAX_SPEC_BYTES = 256 * 1024;
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Set<String> PATCH_OPS = Set.of("add", "remove", "replace", "move", "copy", "test");
    /** KubeVirt's restore admitter allows patches only here; {@code metadata.name} etc. are ours to set. */
    private static final List<String> PATCHABLE_PREFIXES = List.of("/spec/", "/metadata/labels/", "/metadata/annotations/");

    public List<SpecViolation> validate(CloneSpec spec) {
        List<SpecViolation> out = new ArrayList<>();
        if (spec == null) {
            out.add(new SpecViolation("spec", "spec cannot be nil"));
            return out;
        }
        validateSource(spec.source(), out);
        validateTarget(spec, out);
        validateFilters(spec.labelFilters(), "spec.labelFilters", out);
        validateFilters(spec.annotationFilters(), "spec.annotationFilters", out);
        if (spec.template() != null) {
            validateFilters(spec.template().labelFilters(), "spec.template.labelFilters", out);
            validateFilters(spec.template().annotationFilters(), "spec.template.annotationFilters", out);
        }
        validateMacs(spec.newMacAddresses(), out);
        validatePatches(spec.patches(), out);
        validateVolumeNamePolicy(spec.volumeNamePolicy(), out);
        validateBackendStorage(spec.backendStorage(), out);
        validateVolumeStorage(spec.volumeStorage(), out);
        if (spec.targetRunStrategy() != null && !CloneSpec.RUN_STRATEGIES.contains(spec.targetRunStrategy())) {
            out.add(new SpecViolation("spec.targetRunStrategy", "must be one of Always, RerunOnFailure, Manual, Halted, Once, got '"
                    + spec.targetRunStrategy() + "'"));
        }
        validateSizeLimits(spec, out);
        return out;
    }

    /**
     * The size limits of the event schema's {@code cloneSpec} (schemas/events/v1/common.json). A spec over
     * them would be accepted here but dead-lettered by every downstream stage, leaving the clone without an
     * answer; so it is refused up front, naming the field.
     */
    private static void validateSizeLimits(CloneSpec spec, List<SpecViolation> out) {
        refTooLong("spec.source", spec.source(), out);
        refTooLong("spec.target", spec.target(), out);
        tooMany("spec.labelFilters", spec.labelFilters(), 256, 317, out);
        tooMany("spec.annotationFilters", spec.annotationFilters(), 256, 317, out);
        if (spec.template() != null) {
            tooMany("spec.template.labelFilters", spec.template().labelFilters(), 256, 317, out);
            tooMany("spec.template.annotationFilters", spec.template().annotationFilters(), 256, 317, out);
        }
        if (spec.newMacAddresses() != null && spec.newMacAddresses().size() > 256) {
            out.add(new SpecViolation("spec.newMacAddresses", "must have at most 256 entries, got " + spec.newMacAddresses().size()));
        }
        tooLong("spec.newSMBiosSerial", spec.newSMBiosSerial(), 256, out);
        tooMany("spec.patches", spec.patches(), 256, 65536, out);
        long bytes = serialisedSize(spec);
        if (bytes > MAX_SPEC_BYTES) {
            out.add(new SpecViolation("spec", "is too large: " + bytes + " bytes as JSON, at most " + MAX_SPEC_BYTES
                    + " (it travels in Kafka records, whose default limit is 1 MB, together with the planned VM)"));
        }
    }

    private static long serialisedSize(CloneSpec spec) {
        try {
            return Json.MAPPER.writeValueAsBytes(spec).length;
        } catch (JsonProcessingException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void refTooLong(String field, TypedRef ref, List<SpecViolation> out) {
        if (ref != null) {
            tooLong(field + ".apiGroup", ref.apiGroup(), 253, out);
            tooLong(field + ".kind", ref.kind(), 63, out);
            tooLong(field + ".name", ref.name(), 253, out);
        }
    }

    private static void tooLong(String field, String value, int max, List<SpecViolation> out) {
        if (value != null && value.length() > max) {
            out.add(new SpecViolation(field, "must be no more than " + max + " characters, got " + value.length()));
        }
    }

    private static void tooMany(String field, List<String> values, int maxItems, int maxLength, List<SpecViolation> out) {
        if (values == null) {
            return;
        }
        if (values.size() > maxItems) {
            out.add(new SpecViolation(field, "must have at most " + maxItems + " items, got " + values.size()));
        }
        for (int i = 0; i < values.size(); i++) {
            tooLong(field + "[" + i + "]", values.get(i), maxLength, out);
        }
    }

    /** Whether {@code name} is a lowercase RFC 1123 label of at most 63 characters (a valid VM/DataVolume name). */
    public static boolean isDns1123Label(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && DNS1123_LABEL.matcher(name).matches();
    }

    private static void validateSource(TypedRef source, List<SpecViolation> out) {
        if (source == null) {
            out.add(new SpecViolation("spec.source", "Source cannot be nil"));
            return;
        }
        if (isEmpty(source.apiGroup())) {
            out.add(new SpecViolation("spec.source.apiGroup", "Source's APIGroup cannot be empty"));
        }
        if (isEmpty(source.kind())) {
            out.add(new SpecViolation("spec.source.kind", "Source's Kind cannot be empty"));
        } else if (!CloneSpec.KIND_VM.equals(source.kind()) && !CloneSpec.KIND_SNAPSHOT.equals(source.kind())) {
            out.add(new SpecViolation("spec.source.kind", "Source kind is not supported"));
        }
        if (isEmpty(source.name())) {
            out.add(new SpecViolation("spec.source.name", "Source's name cannot be empty"));
        }
    }

    private static void validateTarget(CloneSpec spec, List<SpecViolation> out) {
        TypedRef target = spec.target();
        if (target == null) {
            return; // the planner generates a name
        }
        // An empty kind is defaulted to VirtualMachine (KubeVirt's mutator leaves kind alone but only ever makes VMs).
        if (!isEmpty(target.kind()) && !CloneSpec.KIND_VM.equals(target.kind())) {
            out.add(new SpecViolation("spec.target.kind", "Target kind is not supported"));
        }
        String name = target.name();
        if (isEmpty(name)) {
            return;
        }
        TypedRef source = spec.source();
        if (source != null && CloneSpec.KIND_VM.equals(source.kind()) && name.equals(source.name())
                && (isEmpty(target.kind()) || CloneSpec.KIND_VM.equals(target.kind()))) {
            out.add(new SpecViolation("spec.target.name", "Target name cannot be equal to source name when both are VirtualMachines"));
        }
        if (name.length() > MAX_NAME_LENGTH) {
            out.add(new SpecViolation("spec.target.name", "must be no more than 63 characters"));
        } else if (!DNS1123_LABEL.matcher(name).matches()) {
            out.add(new SpecViolation("spec.target.name",
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end"
                            + " with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is"
                            + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
        }
    }

    private static void validateFilters(List<String> filters, String fieldName, List<SpecViolation> out) {
        if (filters == null) {
            return;
        }
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            String field = fieldName + "[" + i + "]";
            if (filter == null || filter.isEmpty()) {
                out.add(new SpecViolation(field, fieldName + " filter at index " + i + " is invalid: a filter cannot be empty"));
                continue;
            }
            if (filter.equals("!")) {
                out.add(new SpecViolation(field, "a negation character is not a valid filter"));
                continue;
            }
            if (filter.indexOf('!', 1) >= 0) {
                out.add(new SpecViolation(field, fieldName + " filter " + filter
                        + " is invalid: cannot contain a negation character (!); FilterRules: NegationChar can be only used at the beginning of the filter"));
            }
            int star = filter.indexOf('*');
            if (star >= 0 && star != filter.length() - 1) {
                out.add(new SpecViolation(field, fieldName + " filter " + filter
                        + " is invalid: cannot contain a wildcard character (*); FilterRules: WildcardChar can be only at the end of the filter"));
            }
        }
    }

    private static final Set<String> ACCESS_MODES = Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");
    private static final Set<String> VOLUME_MODES = Set.of("Filesystem", "Block");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Our {@code volumeStorage} extension: which volume, and at least one thing to change, each a value Kubernetes takes. */
    private static void validateVolumeStorage(List<CloneSpec.VolumeStorage> entries, List<SpecViolation> out) {
        if (entries == null) {
            return;
        }
        if (entries.size() > 256) {
            out.add(new SpecViolation("spec.volumeStorage", "must have at most 256 entries, got " + entries.size()));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            CloneSpec.VolumeStorage e = entries.get(i);
            String field = "spec.volumeStorage[" + i + "]";
            if (e == null || isEmpty(e.volume())) {
                out.add(new SpecViolation(field + ".volume", "must name a volume of the source VM, or * for every cloned volume"));
                continue;
            }
            if (!seen.add(e.volume())) {
                out.add(new SpecViolation(field + ".volume", "volume " + e.volume() + " is named twice"));
            }
            if (e.storageClassName() == null && e.accessModes() == null && e.volumeMode() == null) {
                out.add(new SpecViolation(field, "must set storageClassName, accessModes or volumeMode"));
            }
            if (e.storageClassName() != null && (e.storageClassName().length() > 253
                    || !DNS1123_SUBDOMAIN.matcher(e.storageClassName()).matches())) {
                out.add(new SpecViolation(field + ".storageClassName", "'" + e.storageClassName()
                        + "' is not a valid StorageClass name (a lowercase DNS subdomain)"));
            }
            if (e.accessModes() != null) {
                if (e.accessModes().isEmpty()) {
                    out.add(new SpecViolation(field + ".accessModes", "must not be empty when given"));
                }
                for (int j = 0; j < e.accessModes().size(); j++) {
                    if (!ACCESS_MODES.contains(e.accessModes().get(j))) {
                        out.add(new SpecViolation(field + ".accessModes[" + j + "]", "must be one of ReadWriteOnce, ReadOnlyMany,"
                                + " ReadWriteMany, ReadWriteOncePod, got '" + e.accessModes().get(j) + "'"));
                    }
                }
            }
            if (e.volumeMode() != null && !VOLUME_MODES.contains(e.volumeMode())) {
                out.add(new SpecViolation(field + ".volumeMode", "must be Filesystem or Block, got '" + e.volumeMode() + "'"));
            }
        }
    }

    private static void validateMacs(Map<String, String> macs, List<SpecViolation> out) {
        if (macs == null) {
            return;
        }
        // Sorted so the violation order does not depend on the map implementation.
        for (Map.Entry<String, String> e : new TreeMap<>(macs).entrySet()) {
            String mac = e.getValue();
            if (isEmpty(e.getKey())) {
                out.add(new SpecViolation("spec.newMacAddresses", "interface name cannot be empty"));
            } else if (!isEmpty(mac) && !MacAddresses.isValid(mac)) {
                // Empty value = "let the network (KubeMacPool) pick", as in KubeVirt.
                out.add(new SpecViolation("spec.newMacAddresses." + e.getKey(),
                        String.format("interface %s has malformed MAC address (%s).", e.getKey(), mac)));
            }
        }
    }

    private static void validatePatches(List<String> patches, List<SpecViolation> out) {
        if (patches == null) {
            return;
        }
        for (int i = 0; i < patches.size(); i++) {
            String field = "spec.patches[" + i + "]";
            String patch = patches.get(i);
            String problem = patchProblem(patch);
            if (problem != null) {
                out.add(new SpecViolation(field, "patch " + i + ": " + problem));
            }
        }
    }

    /** Null when {@code patch} is one acceptable RFC 6902 operation, else what is wrong with it. */
    private static String patchProblem(String patch) {
        JsonNode op;
        try {
            op = patch == null ? null : Json.MAPPER.readTree(patch);
        } catch (JsonProcessingException e) {
            return "patch is not valid JSON (" + patch + ")";
        }
        if (op == null || op.isMissingNode()) {
            return "patch is not valid JSON (" + patch + ")";
        }
        if (!op.isObject()) {
            return "patch must be a single JSON Patch operation object, e.g. {\"op\":\"replace\",\"path\":\"/spec/...\",\"value\":...} ("
                    + patch + ")";
        }
        JsonNode opName = op.get("op");
        if (opName == null || !opName.isTextual() || !PATCH_OPS.contains(opName.asText())) {
            return "patch has an invalid op " + (opName == null ? "(missing)" : opName.toString())
                    + "; expected one of add, remove, replace, move, copy, test";
        }
        JsonNode path = op.get("path");
        if (path == null || !path.isTextual()) {
            return "patch has no path";
        }
        if (!isPatchable(path.asText())) {
            return "patching is valid only for elements under /spec/, /metadata/labels/ or /metadata/annotations/: " + path.asText();
        }
        String kind = opName.asText();
        if ((kind.equals("add") || kind.equals("replace") || kind.equals("test")) && !op.has("value")) {
            return kind + " patch has no value";
        }
        if (kind.equals("move") || kind.equals("copy")) {
            JsonNode from = op.get("from");
            if (from == null || !from.isTextual()) {
                return kind + " patch has no from";
            }
            // move removes its source, so the source must be patchable too; copy only reads it.
            if (kind.equals("move") && !isPatchable(from.asText())) {
                return "patching is valid only for elements under /spec/, /metadata/labels/ or /metadata/annotations/: " + from.asText();
            }
        }
        return null;
    }

    private static boolean isPatchable(String path) {
        return PATCHABLE_PREFIXES.stream().anyMatch(p -> path.startsWith(p) && path.length() > p.length());
    }

    private static void validateVolumeNamePolicy(String policy, List<SpecViolation> out) {
        if (policy != null && !CloneSpec.POLICY_RANDOMIZE.equals(policy) && !CloneSpec.POLICY_PREFIX_TARGET.equals(policy)) {
            out.add(new SpecViolation("spec.volumeNamePolicy",
                    "Unsupported value: \"" + policy + "\": supported values: \"RandomizeNames\", \"PrefixTargetName\""));
        }
    }

    /** Our extension, an enum like volumeNamePolicy (the CRD schema says the same). */
    private static void validateBackendStorage(String mode, List<SpecViolation> out) {
        if (mode != null && !CloneSpec.BACKEND_STORAGE_FRESH.equals(mode) && !CloneSpec.BACKEND_STORAGE_COPY.equals(mode)) {
            out.add(new SpecViolation("spec.backendStorage",
                    "Unsupported value: \"" + mode + "\": supported values: \"Fresh\", \"Copy\""));
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
