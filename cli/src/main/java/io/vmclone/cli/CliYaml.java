package io.vmclone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.regex.Pattern;

/**
 * The YAML the CLI prints: {@code Json.YAML}'s style (minimal quotes) but MAC-like values such as
 * {@code 52:54:00:12:34:56} are quoted, because YAML 1.1 readers (PyYAML, SnakeYAML, Ansible) take an
 * unquoted one for a base-60 integer.
 */
final class CliYaml {
    private CliYaml() {}

    /** YAML 1.1 sexagesimal int/float: {@code 190:20:30}, {@code 52:54:00:12:34:56}. */
    private static final Pattern SEXAGESIMAL = Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");

    static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .stringQuotingChecker(new StringQuotingChecker.Default() {
                @Override
                public boolean needToQuoteValue(String value) {
                    return super.needToQuoteValue(value) || SEXAGESIMAL.matcher(value).matches();
                }
            })
            .build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
}
