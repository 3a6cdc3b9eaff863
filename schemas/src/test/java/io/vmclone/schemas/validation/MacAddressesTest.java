package io.vmclone.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "02:00:00:00:00:01, 02:00:00:00:00:01",
            "02-00-00-00-00-01, 02:00:00:00:00:01",
            "BE-AD-00-00-BE-04, be:ad:00:00:be:04",
            "DE:AD:be:ef:00:0A, de:ad:be:ef:00:0a"})
    void normalisesBothSeparatorsToLowerCaseColons(String mac, String normal) {
        assertThat(MacAddresses.normalise(mac)).contains(normal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"02:00-00:00:00:01", "02:00:00:00:00", "02:00:00:00:00:01:00:00", "0200.0000.0001", " 02:00:00:00:00:01"})
    void rejectsMixedSeparatorsAndWrongLengths(String mac) {
        assertThat(MacAddresses.isValid(mac)).isFalse();
        assertThat(MacAddresses.normalise(mac)).isEmpty();
    }
}
