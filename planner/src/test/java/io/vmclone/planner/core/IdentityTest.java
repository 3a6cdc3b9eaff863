package io.vmclone.planner.core;

import static io.vmclone.planner.core.PlanningTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.kube.CloneLabels;
import io.vmclone.schemas.validation.CloneSpecValidator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Identity bullet: names, stripped metadata, halted target, ownership. */
class IdentityTest {

    private final CorpusFixture fedora = CorpusFixture.load("fedora-datavolumetemplates.yaml");

    @Test
    void explicitTargetNameIsUsed() {
        Plan plan = planned(fedora, Specs.from("fedora").target("fedora-copy").build());
        assertThat(plan.targetName()).isEqualTo("fedora-copy");
        assertThat(plan.virtualMachine().path("metadata").path("name").asText()).isEqualTo("fedora-copy");
        assertThat(plan.virtualMachine().path("metadata").path("namespace").asText()).isEqualTo("vms");
    }

    @Test
    void targetNameIsGeneratedWhenOmittedAndStableForTheSameUid() {
        Plan first = planned(fedora, Specs.from("fedora").build());
        Plan replay = planned(fedora, Specs.from("fedora").build());
        assertThat(first.targetName()).matches("clone-fedora-[0-9a-f]{5}").isEqualTo(replay.targetName());
    }

    @Test
    void generatedNameDiffersBetweenClones() {
        var spec = Specs.from("fedora").build();
        String a = planned(PLANNER.plan(vmInput(cloneWithUid("uid-a"), spec, fedora.vm(), fedora.claims(), false, null))).targetName();
        String b = planned(PLANNER.plan(vmInput(cloneWithUid("uid-b"), spec, fedora.vm(), fedora.claims(), false, null))).targetName();
        assertThat(a).isNotEqualTo(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "fedora", "a-very-long-virtual-machine-name-that-is-close-to-the-sixty-three-limit",
            "x123456789012345678901234567890123456789012345678901234567890ab"})
    void generatedTargetNameIsAlwaysAValidLabel(String sourceName) {
        String name = TargetNaming.generated(Specs.CLONE, sourceName);
        assertThat(CloneSpecValidator.isDns1123Label(name)).as(name).isTrue();
        assertThat(name).startsWith("clone-" + sourceName.substring(0, Math.min(sourceName.length(), 10)));
    }

    @Test
    void cloneWithoutUidDerivesTheSuffixFromItsKey() {
        String a = TargetNaming.generated(new CloneRef("vms", "one", null), "fedora");
        String b = TargetNaming.generated(new CloneRef("vms", "two", null), "fedora");
        assertThat(a).isNotEqualTo(b).isEqualTo(TargetNaming.generated(new CloneRef("vms", "one", null), "fedora"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "finalizers"})
    void serverOwnedMetadataIsRemoved(String field) {
        assertThat(fedora.vm().path("metadata").has(field)).as("fixture has " + field).isTrue();
        Plan plan = planned(fedora, specFor(fedora));
        assertThat(plan.virtualMachine().path("metadata").has(field)).isFalse();
        assertThat(plan.changes()).contains("metadata." + field + " removed");
    }

    @Test
    void ownerReferencesAndStatusAreRemoved() {
        ObjectNode vm = fedora.vm().deepCopy();
        vm.with("metadata").putArray("ownerReferences").addObject().put("kind", "VirtualMachinePool").put("name", "pool");
        Plan plan = planned(PLANNER.plan(vmInput(Specs.CLONE, specFor(fedora), vm, fedora.claims(), false, null)));
        assertThat(plan.virtualMachine().path("metadata").has("ownerReferences")).isFalse();
        assertThat(plan.virtualMachine().has("status")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubevirt.io/latest-observed-api-version", "kubevirt.io/storage-observed-api-version",
            "kubectl.kubernetes.io/last-applied-configuration"})
    void controllerOwnedAnnotationsDoNotTravel(String key) {
        Plan plan = planned(fedora, specFor(fedora));
        assertThat(plan.virtualMachine().path("metadata").path("annotations").has(key)).isFalse();
        assertThat(plan.virtualMachine().path("metadata").path("annotations").path("description").asText())
                .isEqualTo("Fedora 41 build box");
    }

    static Stream<Arguments> runStyles() {
        return Stream.of(
                Arguments.of("runStrategy: Always", "runStrategy", "Halted"),
                Arguments.of("runStrategy: RerunOnFailure", "runStrategy", "Halted"),
                Arguments.of("runStrategy: Manual", "runStrategy", "Halted"),
                Arguments.of("runStrategy: Once", "runStrategy", "Halted"),
                Arguments.of("runStrategy: Halted", "runStrategy", "Halted"),
                Arguments.of("{}", "runStrategy", "Halted"),
                Arguments.of("running: true", "running", "false"),
                Arguments.of("running: false", "running", "false"));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("runStyles")
    void targetIsCreatedHaltedInTheSourcesStyle(String runSpec, String field, String value) {
        ObjectNode vm = yaml("""
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {name: fedora, namespace: vms}
                spec:
                  template: {spec: {domain: {devices: {}}}}
                """);
        vm.with("spec").setAll(yaml(runSpec));
        Plan plan = planned(PLANNER.plan(vmInput(Specs.CLONE, Specs.from("fedora").build(), vm, null, false, null)));
        ObjectNode spec = (ObjectNode) plan.virtualMachine().get("spec");
        assertThat(spec.path(field).asText()).isEqualTo(value);
        assertThat(spec.has(field.equals("running") ? "runStrategy" : "running")).isFalse();
    }

    @Test
    void everyPlannedObjectCarriesTheOwnershipLabels() {
        Plan plan = planned(fedora, specFor(fedora));
        assertThat(plan.dataVolumes()).isNotEmpty();
        for (ObjectNode object : concat(plan)) {
            assertThat(object.path("metadata").path("labels").path(CloneLabels.CLONE_UID).asText()).isEqualTo(Specs.CLONE.uid());
            assertThat(object.path("metadata").path("labels").path(CloneLabels.CLONE_NAME).asText()).isEqualTo("my-clone");
        }
        assertThat(plan.virtualMachine().path("metadata").path("annotations").path(CloneLabels.CREATED_BY).asText())
                .isEqualTo("vms/my-clone");
    }

    @Test
    void instancetypeAndPreferenceRevisionsAreNotShared() {
        CorpusFixture f = CorpusFixture.load("instancetype-preference.yaml");
        Plan plan = planned(f, specFor(f));
        ObjectNode spec = (ObjectNode) plan.virtualMachine().get("spec");
        assertThat(spec.path("instancetype").path("name").asText()).isEqualTo("u1.medium");
        assertThat(spec.path("instancetype").has("revisionName")).isFalse();
        assertThat(spec.path("preference").path("name").asText()).isEqualTo("rhel.9");
        assertThat(spec.path("preference").has("revisionName")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"fedora-copy,fedora-copy", ",clone-fedora-"})
    void planReportsTheResolvedTargetName(String given, String expectedPrefix) {
        Plan plan = planned(fedora, Specs.from("fedora").target(given == null ? "" : given).build());
        assertThat(plan.targetName()).startsWith(expectedPrefix);
        assertThat(plan.changes()).contains("name: fedora -> " + plan.targetName());
    }

    private static java.util.List<ObjectNode> concat(Plan plan) {
        var all = new java.util.ArrayList<ObjectNode>();
        all.add(plan.virtualMachine());
        all.addAll(plan.dataVolumes());
        return all;
    }
}
