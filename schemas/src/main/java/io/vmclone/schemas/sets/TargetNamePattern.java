package io.vmclone.schemas.sets;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A clone set's target name pattern: text with exactly one {@code {index}} (0, 1, 2, ...) or {@code {index:0N}}
 * (zero-padded to N digits, 1 to 9). Deterministic, so a replay or a GitOps re-apply names the same targets.
 */
public record TargetNamePattern(String prefix, int padding, String suffix) {
    public static final String INDEX = "{index}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{index(?::0([1-9]))?}");

    /** The pattern, or empty with {@code why} explained through {@link #problem}. */
    public static Optional<TargetNamePattern> parse(String pattern) {
        return problem(pattern) == null ? Optional.of(parsed(pattern)) : Optional.empty();
    }

    /** What is wrong with {@code pattern}, or null when it is a usable pattern. */
    public static String problem(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return "must not be empty";
        }
        Matcher m = PLACEHOLDER.matcher(pattern);
        int found = 0;
        while (m.find()) {
            found++;
        }
        if (found != 1) {
            return "must contain {index} or {index:0N} (N from 1 to 9) exactly once, found " + found + " in '" + pattern + "'";
        }
        String rest = PLACEHOLDER.matcher(pattern).replaceFirst("");
        if (rest.contains("{") || rest.contains("}")) {
            return "may contain no braces besides its {index} placeholder: '" + pattern + "'";
        }
        return null;
    }

    private static TargetNamePattern parsed(String pattern) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        m.find();
        int padding = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        return new TargetNamePattern(pattern.substring(0, m.start()), padding, pattern.substring(m.end()));
    }

    /** The target name of replica {@code index}. */
    public String render(int index) {
        String digits = padding == 0 ? Integer.toString(index) : String.format("%0" + padding + "d", index);
        return prefix + digits + suffix;
    }
}
