package io.vmclone.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.CloneSpec.VolumeStorage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code volumeStorage} extension's static checks: which volume, something to change, values Kubernetes takes. */
class VolumeStorageValidationTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(List.of(new VolumeStorage("*", "fast", null, null)), null, null),
                Arguments.of(List.of(new VolumeStorage("root", null, List.of("ReadWriteOncePod"), "Block")), null, null),
                Arguments.of(List.of(new VolumeStorage("", "fast", null, null)), "spec.volumeStorage[0].volume", "must name a volume"),
                Arguments.of(List.of(new VolumeStorage("root", null, null, null)), "spec.volumeStorage[0]",
                        "must set storageClassName, accessModes or volumeMode"),
                Arguments.of(List.of(new VolumeStorage("root", "a", null, null), new VolumeStorage("root", "b", null, null)),
                        "spec.volumeStorage[1].volume", "volume root is named twice"),
                Arguments.of(List.of(new VolumeStorage("root", null, List.of(), null)), "spec.volumeStorage[0].accessModes",
                        "must not be empty when given"),
                Arguments.of(List.of(new VolumeStorage("root", "x".repeat(254), null, null)), "spec.volumeStorage[0].storageClassName",
                        "is not a valid StorageClass name"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("cases")
    void eachEntryIsCheckedNamingItsField(List<VolumeStorage> entries, String field, String message) {
        List<SpecViolation> violations = new CloneSpecValidator().validate(CloneSpec.of("vm", "copy").toBuilder().volumeStorage(entries).build());
        if (field == null) {
            assertThat(violations).isEmpty();
        } else {
            assertThat(violations).anySatisfy(v -> {
                assertThat(v.field()).isEqualTo(field);
                assertThat(v.message()).contains(message);
            });
        }
    }
}
