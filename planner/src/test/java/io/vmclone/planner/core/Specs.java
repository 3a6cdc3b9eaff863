package io.vmclone.planner.core;

import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TemplateFilters;
import io.vmclone.schemas.CloneSpec.TypedRef;
import java.util.List;
import java.util.Map;

/** Test builder for clone specs (the record has 14 components). */
final class Specs {
    static final CloneRef CLONE = new CloneRef("vms", "my-clone", "5f0c2b9e-8d1a-4c3e-9b7a-000000000042");

    TypedRef source = TypedRef.vm("fedora");
    TypedRef target;
    List<String> labelFilters;
    List<String> annotationFilters;
    TemplateFilters template;
    Map<String, String> newMacAddresses;
    String newSMBiosSerial;
    List<String> patches;
    String volumeNamePolicy;
    Boolean cloneLabels;
    Boolean cloneAnnotations;
    Boolean cloneDisks;
    Boolean cloneNetwork;
    String backendStorage;
    List<CloneSpec.VolumeStorage> volumeStorage;

    static Specs from(String sourceVm) {
        Specs s = new Specs();
        s.source = TypedRef.vm(sourceVm);
        return s;
    }

    Specs target(String name) {
        target = TypedRef.vm(name);
        return this;
    }

    Specs labelFilters(String... f) {
        labelFilters = List.of(f);
        return this;
    }

    Specs annotationFilters(String... f) {
        annotationFilters = List.of(f);
        return this;
    }

    Specs templateFilters(List<String> labels, List<String> annotations) {
        template = new TemplateFilters(labels, annotations);
        return this;
    }

    Specs macs(Map<String, String> m) {
        newMacAddresses = m;
        return this;
    }

    Specs serial(String s) {
        newSMBiosSerial = s;
        return this;
    }

    Specs patches(String... p) {
        patches = List.of(p);
        return this;
    }

    Specs policy(String p) {
        volumeNamePolicy = p;
        return this;
    }

    Specs cloneLabels(boolean b) {
        cloneLabels = b;
        return this;
    }

    Specs cloneAnnotations(boolean b) {
        cloneAnnotations = b;
        return this;
    }

    Specs cloneDisks(boolean b) {
        cloneDisks = b;
        return this;
    }

    Specs cloneNetwork(boolean b) {
        cloneNetwork = b;
        return this;
    }

    Specs backendStorage(String mode) {
        backendStorage = mode;
        return this;
    }

    Specs volumeStorage(CloneSpec.VolumeStorage... entries) {
        volumeStorage = List.of(entries);
        return this;
    }

    CloneSpec build() {
        return CloneSpec.builder().source(source).target(target).labelFilters(labelFilters)
                .annotationFilters(annotationFilters).template(template).newMacAddresses(newMacAddresses)
                .newSMBiosSerial(newSMBiosSerial).patches(patches).volumeNamePolicy(volumeNamePolicy)
                .cloneLabels(cloneLabels).cloneAnnotations(cloneAnnotations).cloneDisks(cloneDisks)
                .cloneNetwork(cloneNetwork).backendStorage(backendStorage).volumeStorage(volumeStorage).build();
    }
}
