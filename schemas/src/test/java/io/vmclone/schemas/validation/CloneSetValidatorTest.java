package io.vmclone.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.sets.CloneSetSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table of clone sets that must be refused before any clone is made, each with the field and reason it names. */
class CloneSetValidatorTest {
    private static final CloneSpec TEMPLATE = CloneSpec.builder().source(CloneSpec.TypedRef.vm("golden")).build();

    @Test
    void aGoodSetHasNoViolations() {
        assertThat(new CloneSetValidator().validate("runners", new CloneSetSpec(200, "runner-{index:03}", TEMPLATE))).isEmpty();
        assertThat(new CloneSetValidator().validate("runners", new CloneSetSpec(0, null, TEMPLATE))).as("zero replicas").isEmpty();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("no replicas", new CloneSetSpec(null, null, TEMPLATE), "spec.replicas", "is required"),
                Arguments.of("negative", new CloneSetSpec(-1, null, TEMPLATE), "spec.replicas", "between 0 and 1000, got -1"),
                Arguments.of("too many", new CloneSetSpec(1001, null, TEMPLATE), "spec.replicas", "got 1001"),
                Arguments.of("no template", new CloneSetSpec(3, null, null), "spec.template", "is required"),
                Arguments.of("no placeholder", new CloneSetSpec(3, "runner", TEMPLATE), "spec.targetNamePattern", "exactly once"),
                Arguments.of("a target in the template", new CloneSetSpec(3, null, with(TEMPLATE, CloneSpec.TypedRef.vm("x"), null, null)),
                        "spec.template.target", "targetNamePattern names each"),
                Arguments.of("one MAC for all", new CloneSetSpec(3, null, with(TEMPLATE, null, Map.of("nic0", "02:00:00:00:00:01"), null)),
                        "spec.template.newMacAddresses", "the same one"),
                Arguments.of("one serial for all", new CloneSetSpec(3, null, with(TEMPLATE, null, null, "SN1")),
                        "spec.template.newSMBiosSerial", "the same serial"),
                Arguments.of("upper-case target", new CloneSetSpec(3, "Runner-{index}", TEMPLATE), "spec.targetNamePattern",
                        "names a target 'Runner-0' that is not allowed: a lowercase RFC 1123 label"),
                Arguments.of("the last target too long", new CloneSetSpec(1000, "r".repeat(60) + "-{index}", TEMPLATE),
                        "spec.targetNamePattern", "'" + "r".repeat(60) + "-999' that is not allowed: must be no more than 63"),
                Arguments.of("replica 0 named like its source", new CloneSetSpec(2, "runner-{index}", CloneSpec.builder()
                        .source(CloneSpec.TypedRef.vm("runner-0")).build()),
                        "spec.targetNamePattern", "Target name cannot be equal to source name"),
                Arguments.of("no source", new CloneSetSpec(2, null, CloneSpec.builder()
                        .build()), "spec.template.source", "Source cannot be nil"),
                Arguments.of("a bad filter", new CloneSetSpec(2, null, CloneSpec.builder()
                        .source(CloneSpec.TypedRef.vm("golden")).labelFilters(List.of("a*b"))
                        .build()), "spec.template.labelFilters", "is invalid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedSetsNameTheFieldAndWhy(String name, CloneSetSpec spec, String field, String message) {
        List<SpecViolation> violations = new CloneSetValidator().validate("runners", spec);
        assertThat(violations).anySatisfy(v -> {
            assertThat(v.field()).startsWith(field);
            assertThat(v.message()).contains(message);
        });
    }

    @Test
    void aSetNameTooLongForItsCloneNamesIsRefused() {
        assertThat(new CloneSetValidator().validate("s".repeat(250), new CloneSetSpec(1000, "vm-{index}", TEMPLATE)))
                .anySatisfy(v -> {
                    assertThat(v.field()).isEqualTo("metadata.name");
                    assertThat(v.message()).contains("254 characters, at most 253");
                });
    }

    private static CloneSpec with(CloneSpec t, CloneSpec.TypedRef target, Map<String, String> macs, String serial) {
        return t.toBuilder().target(target).newMacAddresses(macs).newSMBiosSerial(serial).build();
    }
}
