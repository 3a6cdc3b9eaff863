package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Filters bullet: KubeVirt's rules (negation wins, nil keeps all) but anchored. */
class MetadataFilterTest {

    private static List<String> kept(List<String> filters, String... keys) {
        ObjectNode map = Json.MAPPER.createObjectNode();
        Arrays.stream(keys).forEach(k -> map.put(k, "v"));
        MetadataFilter.of(filters).apply(map);
        List<String> out = new ArrayList<>();
        map.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static Stream<Arguments> table() {
        List<String> kubevirtKeys = List.of("prefix1/something1", "prefix1/something2", "prefix2/something1", "somePrefix2/something");
        return Stream.of(
                // KubeVirt's controller test table (reference §5.2): same result under anchored matching.
                Arguments.of(List.of("prefix*", "!prefix1/something2", "!prefix2/*", "somePrefix2/something"), kubevirtKeys,
                        List.of("prefix1/something1", "somePrefix2/something")),
                // KubeVirt's functional test: ["*", "!key2"] strips key2 only.
                Arguments.of(List.of("*", "!key2"), List.of("key1", "key2", "key3"), List.of("key1", "key3")),
                Arguments.of(List.of("key1"), List.of("key1", "key2"), List.of("key1")),
                // nil keeps all; a non-nil list keeps only what it matches, so [] and negation-only keep nothing.
                Arguments.of(null, List.of("a", "b"), List.of("a", "b")),
                Arguments.of(List.of(), List.of("a", "b"), List.of()),
                Arguments.of(List.of("!a"), List.of("a", "b"), List.of()),
                // Anchored: an exact key is not a substring match, '.' is not a regex wildcard.
                Arguments.of(List.of("app"), List.of("app", "myapp", "app.kubernetes.io/name"), List.of("app")),
                Arguments.of(List.of("a.b"), List.of("a.b", "axb"), List.of("a.b")),
                Arguments.of(List.of("example.com/*"), List.of("example.com/owner", "www.example.com/x", "example.com"),
                        List.of("example.com/owner")),
                // Negation wins regardless of order.
                Arguments.of(List.of("!team", "*"), List.of("team", "tier"), List.of("tier")),
                Arguments.of(List.of("*", "!example.com/*"), List.of("example.com/a", "other"), List.of("other")));
    }

    @ParameterizedTest(name = "{0} on {1} keeps {2}")
    @MethodSource("table")
    void keepsExactlyWhatTheFiltersSelect(List<String> filters, List<String> keys, List<String> expected) {
        assertThat(kept(filters, keys.toArray(String[]::new))).containsExactlyElementsOf(expected);
    }

    private final CorpusFixture ubuntu = CorpusFixture.load("ovn-labels.yaml");

    private static List<String> keys(JsonNode map) {
        List<String> out = new ArrayList<>();
        map.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void vmLabelAndAnnotationFiltersApplyToTheVmMetadata() {
        Plan plan = planned(ubuntu, Specs.from("ubuntu").labelFilters("*", "!example.com/*").annotationFilters("example.com/ticket").build());
        JsonNode metadata = plan.virtualMachine().path("metadata");
        assertThat(keys(metadata.path("labels"))).containsExactly("team", "cost-center", CloneLabels.CLONE_UID, CloneLabels.CLONE_NAME);
        assertThat(keys(metadata.path("annotations"))).containsExactly("example.com/ticket", CloneLabels.CREATED_BY);
        assertThat(plan.changes()).contains("label example.com/owner removed by labelFilters", "label example.com/backup removed by labelFilters");
    }

    @Test
    void templateFiltersApplyToTheTemplateMetadataOnly() {
        Plan plan = planned(ubuntu, Specs.from("ubuntu")
                .templateFilters(List.of("kubevirt.io/*"), List.of("*", "!k8s.ovn.org/*")).build());
        JsonNode template = plan.virtualMachine().path("spec").path("template").path("metadata");
        assertThat(keys(template.path("labels"))).containsExactly("kubevirt.io/vm");
        assertThat(keys(template.path("annotations"))).containsExactly("kubevirt.io/allow-pod-bridge-network-live-migration");
        assertThat(keys(plan.virtualMachine().path("metadata").path("labels"))).contains("team", "example.com/owner");
        assertThat(plan.changes()).contains("template annotation k8s.ovn.org/pod-networks removed by template.annotationFilters");
    }

    @Test
    void noFiltersCopyEverythingButControllerAnnotations() {
        Plan plan = planned(ubuntu, specFor(ubuntu));
        JsonNode metadata = plan.virtualMachine().path("metadata");
        assertThat(keys(metadata.path("labels"))).containsAll(keys(ubuntu.vm().path("metadata").path("labels")));
        // lastRestoreUID describes a restore of the source; KubeVirt keeps it because its restore writes it, we do not.
        assertThat(keys(metadata.path("annotations"))).containsExactly("example.com/ticket", CloneLabels.CREATED_BY);
        assertThat(plan.virtualMachine().path("spec").path("template").path("metadata"))
                .isEqualTo(ubuntu.vm().path("spec").path("template").path("metadata"));
    }

    @Test
    void copiedSelectorLabelsAreCalledOut() {
        Plan plan = planned(ubuntu, specFor(ubuntu));
        assertThat(plan.changes()).anyMatch(c -> c.startsWith("note: template label kubevirt.io/vm=ubuntu is copied"));
        Plan filtered = planned(ubuntu, Specs.from("ubuntu").templateFilters(List.of("network.kubevirt.io/*"), null).build());
        assertThat(filtered.changes()).noneMatch(c -> c.startsWith("note: template label"));
    }

    @Test
    void cloneLabelsAndAnnotationsFalseDropThemAllButOwnership() {
        Plan plan = planned(ubuntu, Specs.from("ubuntu").cloneLabels(false).cloneAnnotations(false).build());
        JsonNode metadata = plan.virtualMachine().path("metadata");
        assertThat(keys(metadata.path("labels"))).containsExactly(CloneLabels.CLONE_UID, CloneLabels.CLONE_NAME);
        assertThat(keys(metadata.path("annotations"))).containsExactly(CloneLabels.CREATED_BY);
        assertThat(keys(plan.virtualMachine().path("spec").path("template").path("metadata").path("labels")))
                .as("template labels are not VM labels").contains("kubevirt.io/vm");
        assertThat(plan.changes()).contains("label team removed (cloneLabels=false)", "annotation example.com/ticket removed (cloneAnnotations=false)");
    }

    @Test
    void filtersCannotRemoveOwnershipLabels() {
        Plan plan = planned(ubuntu, Specs.from("ubuntu").labelFilters("team").annotationFilters().build());
        JsonNode metadata = plan.virtualMachine().path("metadata");
        assertThat(keys(metadata.path("labels"))).containsExactly("team", CloneLabels.CLONE_UID, CloneLabels.CLONE_NAME);
        assertThat(keys(metadata.path("annotations"))).containsExactly(CloneLabels.CREATED_BY);
    }

    @Test
    void cloneOfACloneWithPrefixFilterGetsTheNewClonesOwnership() {
        // KubeVirt's "double cloning" functional test with filters somekey/*.
        CorpusFixture second = CorpusFixture.load("clone-of-clone.yaml");
        Plan plan = planned(second, Specs.from("clone-fedora-1a2b3").labelFilters("somekey/*").annotationFilters("somekey/*").build());
        JsonNode metadata = plan.virtualMachine().path("metadata");
        assertThat(keys(metadata.path("labels"))).containsExactly("somekey/keep", CloneLabels.CLONE_UID, CloneLabels.CLONE_NAME);
        assertThat(metadata.path("labels").path(CloneLabels.CLONE_UID).asText()).isEqualTo(Specs.CLONE.uid());
        assertThat(metadata.path("annotations").path(CloneLabels.CREATED_BY).asText()).isEqualTo("vms/my-clone");
        // Its disk is cloned from the first clone's DataVolume, not from the original source.
        assertThat(plan.dataVolumes()).singleElement().satisfies(dv ->
                assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo("clone-0a1b2c3d-rootdisk"));
    }

    @Test
    void cloneOfAPlannedCloneStripsIdentityAgain() {
        CorpusFixture fedora = CorpusFixture.load("fedora-datavolumetemplates.yaml");
        Plan first = planned(fedora, Specs.from("fedora").target("fedora-1").build());
        CorpusFixture asSource = new CorpusFixture("first", first.virtualMachine(), List.of(), List.of());
        Plan second = planned(PLANNER.plan(vmInput(cloneWithUid("second-uid"), Specs.from("fedora-1").target("fedora-2").build(),
                asSource.vm(), List.of(), false, null)));
        assertThat(second.virtualMachine().at("/metadata/labels/" + CloneLabels.CLONE_UID.replace("/", "~1")).asText()).isEqualTo("second-uid");
        assertThat(second.dataVolumes()).singleElement().satisfies(dv ->
                assertThat(dv.at("/spec/source/pvc/name").asText()).isEqualTo(first.dataVolumes().get(0).at("/metadata/name").asText()));
        assertThat(second.dataVolumes().get(0).at("/metadata/name").asText()).isNotEqualTo(first.dataVolumes().get(0).at("/metadata/name").asText());
    }
}
