package io.vmclone.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.TypedRef;
import io.vmclone.schemas.EventSchemas;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requested;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A spec the validator accepts must also fit the {@code requested} event schema; otherwise every stage
 * after the bridge dead-letters the event and the clone never gets an answer (found by the bad-input corpus).
 */
class CloneSpecSizeLimitsTest {
    private final CloneSpecValidator validator = new CloneSpecValidator();

    private static CloneSpec spec(TypedRef source, List<String> labelFilters, String serial, List<String> patches) {
        return CloneSpec.builder().source(source).labelFilters(labelFilters).newSMBiosSerial(serial).patches(patches).build();
    }

    @Test
    void sourceNameOverTheSchemaLimitIsRefusedNamingTheField() {
        CloneSpec spec = spec(TypedRef.vm("a".repeat(254)), null, null, null);
        assertThat(validator.validate(spec)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.source.name");
            assertThat(v.message()).contains("no more than 253 characters");
        });
        assertThat(fitsRequestedSchema(spec)).isFalse();
        assertThat(validator.validate(spec(TypedRef.vm("a".repeat(253)), null, null, null))).isEmpty();
    }

    @Test
    void tooManyPatchesAndOversizeSerialAndFilterAreRefused() {
        List<String> patches = IntStream.range(0, 257)
                .mapToObj(i -> "{\"op\":\"add\",\"path\":\"/metadata/labels/l" + i + "\",\"value\":\"v\"}").toList();
        assertThat(validator.validate(spec(TypedRef.vm("fedora"), null, null, patches)))
                .extracting(SpecViolation::field).containsExactly("spec.patches");
        assertThat(validator.validate(spec(TypedRef.vm("fedora"), null, "S".repeat(257), null)))
                .extracting(SpecViolation::field).containsExactly("spec.newSMBiosSerial");
        assertThat(validator.validate(spec(TypedRef.vm("fedora"), List.of("x".repeat(318)), null, null)))
                .extracting(SpecViolation::field).containsExactly("spec.labelFilters[0]");
    }

    @Test
    void specTooLargeForAKafkaRecordIsRefusedAsAWhole() {
        List<String> patches = IntStream.range(0, 20)
                .mapToObj(i -> "{\"op\":\"add\",\"path\":\"/metadata/annotations/a" + i + "\",\"value\":\"" + "x".repeat(60_000) + "\"}")
                .toList();
        assertThat(validator.validate(spec(TypedRef.vm("fedora"), null, null, patches))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec");
            assertThat(v.message()).contains("too large");
        });
    }

    @Test
    void specsAtTheLimitsAreValidAndFitTheSchema() {
        List<String> patches = IntStream.range(0, 256)
                .mapToObj(i -> "{\"op\":\"add\",\"path\":\"/metadata/labels/l" + i + "\",\"value\":\"v\"}").toList();
        CloneSpec spec = spec(TypedRef.vm("a".repeat(253)), Collections.nCopies(256, "x".repeat(317)), "S".repeat(256), patches);
        assertThat(validator.validate(spec)).isEmpty();
        assertThat(fitsRequestedSchema(spec)).isTrue();
    }

    private static boolean fitsRequestedSchema(CloneSpec spec) {
        Requested data = new Requested(new CloneRef("ns", "c", "uid"), 1L, spec, null, Origin.resource());
        return new EventSchemas().validate(EventType.REQUESTED, Json.MAPPER.valueToTree(data)).isEmpty();
    }
}
