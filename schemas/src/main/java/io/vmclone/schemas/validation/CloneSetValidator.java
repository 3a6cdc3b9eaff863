package io.vmclone.schemas.validation;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.sets.CloneSetSpec;
import io.vmclone.schemas.sets.CloneSets;
import io.vmclone.schemas.sets.TargetNamePattern;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Static checks of a VirtualMachineCloneSet before any of its clones is made: the set-level fields, then the
 * template as every replica would carry it (through {@link CloneSpecValidator}, fields named as in the set).
 * A set that fails here makes no clone at all, so a bad template is reported once, not once per replica.
 */
public final class CloneSetValidator {
    /** A VirtualMachineClone's name is a DNS subdomain. */
    private static final int MAX_CLONE_NAME_LENGTH = 253;

    private final CloneSpecValidator clones = new CloneSpecValidator();

    public List<SpecViolation> validate(String setName, CloneSetSpec spec) {
        List<SpecViolation> out = new ArrayList<>();
        if (spec == null) {
            out.add(new SpecViolation("spec", "spec cannot be nil"));
            return out;
        }
        if (spec.replicas() == null) {
            out.add(new SpecViolation("spec.replicas", "is required"));
        } else if (spec.replicas() < 0 || spec.replicas() > CloneSetSpec.MAX_REPLICAS) {
            out.add(new SpecViolation("spec.replicas", "must be between 0 and " + CloneSetSpec.MAX_REPLICAS + ", got " + spec.replicas()));
        }
        String patternProblem = TargetNamePattern.problem(spec.patternFor(setName));
        if (patternProblem != null) {
            out.add(new SpecViolation("spec.targetNamePattern", patternProblem));
        }
        CloneSpec template = spec.template();
        if (template == null) {
            out.add(new SpecViolation("spec.template", "is required: the VirtualMachineClone spec every replica gets"));
            return out;
        }
        validateTemplateOnly(template, out);
        if (out.isEmpty()) {
            validateReplicas(setName, spec, out);
        }
        return out;
    }

    /** What a clone may carry but a template for many clones may not. */
    private static void validateTemplateOnly(CloneSpec template, List<SpecViolation> out) {
        if (template.target() != null) {
            out.add(new SpecViolation("spec.template.target", "must not be set: spec.targetNamePattern names each replica's target"));
        }
        if (template.newMacAddresses() != null && template.newMacAddresses().values().stream().anyMatch(m -> m != null && !m.isEmpty())) {
            out.add(new SpecViolation("spec.template.newMacAddresses",
                    "must not name a MAC address: every replica would get the same one (leave it out, or map the interface to \"\" to have a new one generated)"));
        }
        if (template.newSMBiosSerial() != null && !template.newSMBiosSerial().isEmpty()) {
            out.add(new SpecViolation("spec.template.newSMBiosSerial", "must not be set: every replica would get the same serial"));
        }
    }

    /** The first and the last replica: only the index differs between replicas, and the last has the longest names. */
    private void validateReplicas(String setName, CloneSetSpec spec, List<SpecViolation> out) {
        int last = Math.max(0, spec.replicaCount() - 1);
        String longest = CloneSets.cloneName(setName, last);
        if (longest.length() > MAX_CLONE_NAME_LENGTH) {
            out.add(new SpecViolation("metadata.name", "is too long for " + spec.replicaCount() + " replicas: clone name '"
                    + longest.substring(0, 40) + "...' would have " + longest.length() + " characters, at most " + MAX_CLONE_NAME_LENGTH));
        }
        Set<SpecViolation> found = new LinkedHashSet<>();
        for (int index : new int[] {0, last}) {
            CloneSpec replica = CloneSets.replicaSpec(spec, setName, index);
            for (SpecViolation v : clones.validate(replica)) {
                found.add(inSet(v, replica.target().name()));
            }
        }
        out.addAll(found);
    }

    /** A replica's violation named by the set field that caused it. */
    private static SpecViolation inSet(SpecViolation v, String targetName) {
        if (v.field().startsWith("spec.target")) {
            return new SpecViolation("spec.targetNamePattern", "names a target '" + targetName + "' that is not allowed: " + v.message());
        }
        return new SpecViolation(v.field().replaceFirst("^spec", "spec.template"), v.message());
    }
}
