package io.vmclone.planner.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneSpec;
import java.util.List;

/**
 * Which labels and annotations travel: the {@code cloneLabels}/{@code cloneAnnotations} extensions
 * (false drops every VM-level label/annotation) and the four KubeVirt filter lists.
 */
final class MetadataPolicy {
    private MetadataPolicy() {}

    static void apply(ObjectNode vm, CloneSpec spec, List<String> changes) {
        ObjectNode metadata = Nodes.ensure(vm, "metadata");
        ObjectNode templateMetadata = Nodes.obj(vm, "spec", "template", "metadata");
        CloneSpec.TemplateFilters template = spec.template();

        filterOrDrop(metadata, "labels", "label", spec.copiesLabels(), MetadataFilter.of(spec.labelFilters()),
                "labelFilters", changes);
        filterOrDrop(metadata, "annotations", "annotation", spec.copiesAnnotations(), MetadataFilter.of(spec.annotationFilters()),
                "annotationFilters", changes);
        if (templateMetadata != null && template != null) {
            filterOrDrop(templateMetadata, "labels", "template label", true, MetadataFilter.of(template.labelFilters()),
                    "template.labelFilters", changes);
            filterOrDrop(templateMetadata, "annotations", "template annotation", true,
                    MetadataFilter.of(template.annotationFilters()), "template.annotationFilters", changes);
        }
        warnAboutSelectorLabels(vm, changes);
    }

    /** Labels KubeVirt examples use as Service selectors; copied like KubeVirt does, but worth saying. */
    static final List<String> SELECTOR_LABELS = List.of("kubevirt.io/vm", "kubevirt.io/domain", "vm.kubevirt.io/name");

    private static void warnAboutSelectorLabels(ObjectNode vm, List<String> changes) {
        ObjectNode labels = Nodes.obj(vm, "spec", "template", "metadata", "labels");
        if (labels == null) {
            return;
        }
        for (String key : SELECTOR_LABELS) {
            String value = Nodes.text(labels, key);
            if (value != null && !value.isEmpty()) {
                changes.add("note: template label " + key + "=" + value
                        + " is copied; Services selecting it will also match the clone (template.labelFilters or a patch can change it)");
            }
        }
    }

    private static void filterOrDrop(ObjectNode metadata, String field, String what, boolean copy, MetadataFilter filter,
            String filterName, List<String> changes) {
        ObjectNode map = Nodes.obj(metadata, field);
        if (map == null) {
            return;
        }
        if (!copy) {
            map.fieldNames().forEachRemaining(key -> changes.add(what + " " + key + " removed (clone" + capitalised(field) + "=false)"));
            metadata.remove(field);
            return;
        }
        for (String key : filter.apply(map)) {
            changes.add(what + " " + key + " removed by " + filterName);
        }
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
