package io.vmclone.schemas.sets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetNamePatternTest {

    @ParameterizedTest(name = "{0} #{1} -> {2}")
    @CsvSource({
            "runner-{index}, 0, runner-0",
            "runner-{index}, 12, runner-12",
            "runner-{index:03}, 7, runner-007",
            "runner-{index:03}, 1234, runner-1234",
            "{index:02}-db, 3, 03-db",
            "ci-{index}-vm, 5, ci-5-vm",
    })
    void rendersTheIndexWhereThePlaceholderIs(String pattern, int index, String name) {
        assertThat(TargetNamePattern.parse(pattern)).hasValueSatisfying(p -> assertThat(p.render(index)).isEqualTo(name));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "runner                | found 0",
            "runner-{index}-{index} | found 2",
            "runner-{idx}          | found 0",
            "runner-{index:3}      | found 0",
            "runner-{index:00}     | found 0",
            "runner-{index}}       | no braces besides",
            "{runner}-{index}      | no braces besides",
    })
    void aPatternWithoutExactlyOnePlaceholderSaysWhatIsWrong(String pattern, String problem) {
        assertThat(TargetNamePattern.problem(pattern)).contains(problem);
        assertThat(TargetNamePattern.parse(pattern)).isEmpty();
    }
}
