package io.vmclone.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TemplateFilters;
import io.vmclone.schemas.CloneSpec.TypedRef;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** KubeVirt's vmclone-admitter test cases (reference §5.3) plus our own (colon MACs, patch paths, names). */
class CloneSpecValidatorTest {

    private final CloneSpecValidator validator = new CloneSpecValidator();

    private static CloneSpec spec(TypedRef source, TypedRef target) {
        return CloneSpec.builder().source(source).target(target).build();
    }

    @Test
    void legalCloneHasNoViolations() {
        assertThat(validator.validate(CloneSpec.of("fedora", "fedora-copy"))).isEmpty();
        assertThat(validator.validate(CloneSpec.of("fedora", null))).isEmpty();
    }

    static Stream<Arguments> sourceAndTargetCases() {
        return Stream.of(
                Arguments.of("source nil", spec(null, TypedRef.vm("t")), "spec.source", "Source cannot be nil"),
                Arguments.of("source without name", spec(new TypedRef("kubevirt.io", "VirtualMachine", ""), null),
                        "spec.source.name", "Source's name cannot be empty"),
                Arguments.of("source without kind", spec(new TypedRef("kubevirt.io", null, "vm"), null),
                        "spec.source.kind", "Source's Kind cannot be empty"),
                Arguments.of("source with nil apiGroup", spec(new TypedRef(null, "VirtualMachine", "vm"), null),
                        "spec.source.apiGroup", "Source's APIGroup cannot be empty"),
                Arguments.of("source with empty apiGroup", spec(new TypedRef("", "VirtualMachine", "vm"), null),
                        "spec.source.apiGroup", "Source's APIGroup cannot be empty"),
                Arguments.of("unknown source kind", spec(new TypedRef("", "Pod", "vm"), null),
                        "spec.source.kind", "Source kind is not supported"),
                Arguments.of("unknown target kind", spec(TypedRef.vm("vm"), new TypedRef("kubevirt.io", "VirtualMachineSnapshot", "t")),
                        "spec.target.kind", "Target kind is not supported"),
                Arguments.of("target equals source", spec(TypedRef.vm("vm"), TypedRef.vm("vm")),
                        "spec.target.name", "Target name cannot be equal to source name when both are VirtualMachines"),
                Arguments.of("target name too long", spec(TypedRef.vm("vm"), TypedRef.vm("a".repeat(64))),
                        "spec.target.name", "must be no more than 63 characters"),
                Arguments.of("target name upper case", spec(TypedRef.vm("vm"), TypedRef.vm("MyVM")),
                        "spec.target.name", "a lowercase RFC 1123 label must consist of lower case alphanumeric characters"),
                Arguments.of("target name with dot", spec(TypedRef.vm("vm"), TypedRef.vm("my.vm")),
                        "spec.target.name", "a lowercase RFC 1123 label"),
                Arguments.of("target name ending in dash", spec(TypedRef.vm("vm"), TypedRef.vm("vm-")),
                        "spec.target.name", "a lowercase RFC 1123 label"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sourceAndTargetCases")
    void rejectsBadSourceOrTarget(String description, CloneSpec spec, String field, String message) {
        assertThat(validator.validate(spec))
                .anySatisfy(v -> {
                    assertThat(v.field()).isEqualTo(field);
                    assertThat(v.message()).startsWith(message);
                });
    }

    static Stream<Arguments> allowedSources() {
        return Stream.of(
                Arguments.of(spec(TypedRef.vm("vm"), null)),
                Arguments.of(spec(TypedRef.snapshot("snap"), null)),
                // KubeVirt: "Should allow target name == snapshot name" — only VM/VM is forbidden.
                Arguments.of(spec(TypedRef.snapshot("same"), TypedRef.vm("same"))),
                Arguments.of(spec(TypedRef.vm("vm"), new TypedRef(null, null, "target"))),
                Arguments.of(spec(TypedRef.vm("vm"), TypedRef.vm("a".repeat(63)))));
    }

    @ParameterizedTest
    @MethodSource("allowedSources")
    void allowsSupportedSourceAndTargetShapes(CloneSpec spec) {
        assertThat(validator.validate(spec)).isEmpty();
    }

    enum FilterField { LABELS, ANNOTATIONS, TEMPLATE_LABELS, TEMPLATE_ANNOTATIONS }

    private static CloneSpec withFilter(FilterField where, List<String> filters) {
        return switch (where) {
            case LABELS -> CloneSpec.builder().source(TypedRef.vm("vm")).labelFilters(filters).build();
            case ANNOTATIONS -> CloneSpec.builder().source(TypedRef.vm("vm")).annotationFilters(filters).build();
            case TEMPLATE_LABELS -> CloneSpec.builder().source(TypedRef.vm("vm"))
                    .template(new TemplateFilters(filters, null)).build();
            case TEMPLATE_ANNOTATIONS -> CloneSpec.builder().source(TypedRef.vm("vm"))
                    .template(new TemplateFilters(null, filters)).build();
        };
    }

    private static String fieldOf(FilterField where) {
        return switch (where) {
            case LABELS -> "spec.labelFilters";
            case ANNOTATIONS -> "spec.annotationFilters";
            case TEMPLATE_LABELS -> "spec.template.labelFilters";
            case TEMPLATE_ANNOTATIONS -> "spec.template.annotationFilters";
        };
    }

    static Stream<Arguments> badFilters() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (FilterField where : FilterField.values()) {
            b.add(Arguments.of(where, "!", "a negation character is not a valid filter"));
            b.add(Arguments.of(where, "mykey/!something", "cannot contain a negation character (!); FilterRules: NegationChar can be only used at the beginning of the filter"));
            b.add(Arguments.of(where, "mykey/something!", "cannot contain a negation character (!)"));
            b.add(Arguments.of(where, "*mykey/something", "cannot contain a wildcard character (*); FilterRules: WildcardChar can be only at the end of the filter"));
            b.add(Arguments.of(where, "mykey/*something", "cannot contain a wildcard character (*)"));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} rejects {1}")
    @MethodSource("badFilters")
    void rejectsMisplacedNegationOrWildcard(FilterField where, String filter, String message) {
        // The bad filter sits at index 1 so the field path must carry the index.
        List<SpecViolation> violations = validator.validate(withFilter(where, List.of("ok", filter)));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(fieldOf(where) + "[1]");
            assertThat(v.message()).contains(message);
        });
    }

    static Stream<Arguments> goodFilters() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (FilterField where : FilterField.values()) {
            for (String f : List.of("mykey/something", "*", "mykey/something*", "!mykey/something", "!mykey/*")) {
                b.add(Arguments.of(where, f));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} allows {1}")
    @MethodSource("goodFilters")
    void allowsWellFormedFilters(FilterField where, String filter) {
        assertThat(validator.validate(withFilter(where, List.of(filter)))).isEmpty();
    }

    private static CloneSpec withMac(String iface, String mac) {
        return CloneSpec.builder().source(TypedRef.vm("vm")).newMacAddresses(Map.of(iface, mac)).build();
    }

    @ParameterizedTest(name = "MAC {0} accepted")
    @ValueSource(strings = {"00:00:00:00:00:00", "02:00:00:00:00:01", "02-00-00-00-00-01", "BE-AD-00-00-BE-04", "de:ad:00:00:BE:af", ""})
    void acceptsColonAndDashMacs(String mac) {
        assertThat(validator.validate(withMac("nic0", mac))).isEmpty();
    }

    @ParameterizedTest(name = "MAC {0} rejected")
    @ValueSource(strings = {"00:00:00:00:00", "02:00:00:00:00:01:02", "02:00-00:00:00:01", "02:00:00:00:00:0g",
            "0200.0000.0001", "02:00:00:00:00:1", "not-a-mac", "02:00:00:00:00:01:02:03"})
    void rejectsMalformedMacsNamingTheInterface(String mac) {
        assertThat(validator.validate(withMac("nic0", mac))).containsExactly(
                new SpecViolation("spec.newMacAddresses.nic0", "interface nic0 has malformed MAC address (" + mac + ")."));
    }

    private static CloneSpec withPatches(String... patches) {
        return CloneSpec.builder().source(TypedRef.vm("vm")).patches(List.of(patches)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"op\":\"replace\",\"path\":\"/spec/template/spec/domain/devices/interfaces/0/macAddress\",\"value\":\"02:00:00:00:00:01\"}",
            "{\"op\":\"add\",\"path\":\"/metadata/labels/team\",\"value\":\"a\"}",
            "{\"op\":\"remove\",\"path\":\"/metadata/annotations/note\"}",
            "{\"op\":\"test\",\"path\":\"/spec/runStrategy\",\"value\":\"Halted\"}",
            "{\"op\":\"copy\",\"from\":\"/metadata/name\",\"path\":\"/spec/template/spec/hostname\"}",
            "{\"op\":\"move\",\"from\":\"/metadata/labels/a\",\"path\":\"/metadata/labels/b\"}"})
    void acceptsSingleOpPatchesUnderAllowedPaths(String patch) {
        assertThat(validator.validate(withPatches(patch))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                                                          | patch is not valid JSON (not json)",
            "{\"op\":\"replace\"                                                | patch is not valid JSON",
            "[{\"op\":\"remove\",\"path\":\"/spec/x\"}]                          | patch must be a single JSON Patch operation object",
            "{\"op\":\"delete\",\"path\":\"/spec/x\"}                            | patch has an invalid op \"delete\"",
            "{\"path\":\"/spec/x\"}                                              | patch has an invalid op (missing)",
            "{\"op\":\"remove\"}                                                 | patch has no path",
            "{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":\"x\"}    | patching is valid only for elements under /spec/, /metadata/labels/ or /metadata/annotations/: /metadata/name",
            "{\"op\":\"replace\",\"path\":\"/spec\",\"value\":{}}                | patching is valid only for elements under",
            "{\"op\":\"remove\",\"path\":\"/status/x\"}                          | patching is valid only for elements under",
            "{\"op\":\"add\",\"path\":\"/spec/x\"}                               | add patch has no value",
            "{\"op\":\"move\",\"from\":\"/metadata/name\",\"path\":\"/spec/x\"}  | patching is valid only for elements under",
            "{\"op\":\"copy\",\"path\":\"/spec/x\"}                              | copy patch has no from"})
    void rejectsBadPatchesNamingTheIndex(String patch, String message) {
        List<SpecViolation> violations = validator.validate(withPatches(
                "{\"op\":\"add\",\"path\":\"/metadata/labels/ok\",\"value\":\"1\"}", patch.strip()));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.patches[1]");
            assertThat(v.message()).startsWith("patch 1: ").contains(message.strip());
        });
    }

    @ParameterizedTest
    @CsvSource({"RandomizeNames,true", "PrefixTargetName,true", "prefixTargetName,false", "Random,false"})
    void volumeNamePolicyIsAnEnum(String policy, boolean valid) {
        CloneSpec spec = CloneSpec.builder().source(TypedRef.vm("vm")).volumeNamePolicy(policy).build();
        List<SpecViolation> violations = validator.validate(spec);
        if (valid) {
            assertThat(violations).isEmpty();
        } else {
            assertThat(violations).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("spec.volumeNamePolicy");
                assertThat(v.message()).contains("\"" + policy + "\"").contains("RandomizeNames");
            });
        }
    }

    @ParameterizedTest
    @CsvSource({"Fresh,true", "Copy,true", "copy,false", "Keep,false", "'',false"})
    void backendStorageIsAnEnum(String mode, boolean valid) {
        CloneSpec spec = CloneSpec.builder().source(TypedRef.vm("vm")).backendStorage(mode).build();
        List<SpecViolation> violations = validator.validate(spec);
        if (valid) {
            assertThat(violations).isEmpty();
        } else {
            assertThat(violations).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("spec.backendStorage");
                assertThat(v.message()).isEqualTo("Unsupported value: \"" + mode + "\": supported values: \"Fresh\", \"Copy\"");
            });
        }
    }

    @Test
    void reportsEveryViolationNotJustTheFirst() {
        CloneSpec spec = CloneSpec.builder().source(new TypedRef("", "Pod", "")).labelFilters(List.of("!"))
                .newMacAddresses(Map.of("nic0", "zz")).patches(List.of("{")).volumeNamePolicy("Bogus")
                .backendStorage("Bogus").build();
        assertThat(validator.validate(spec)).extracting(SpecViolation::field).containsExactly(
                "spec.source.apiGroup", "spec.source.kind", "spec.source.name", "spec.labelFilters[0]",
                "spec.newMacAddresses.nic0", "spec.patches[0]", "spec.volumeNamePolicy", "spec.backendStorage");
    }
}
