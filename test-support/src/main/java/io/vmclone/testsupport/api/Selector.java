package io.vmclone.testsupport.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label selector ({@code a=b,c!=d,e,!f,g in (x,y),h notin (z)}) or a field selector over
 * {@code metadata.name}/{@code metadata.namespace} ({@code =}, {@code ==}, {@code !=}), as the API server
 * reads them from {@code labelSelector} and {@code fieldSelector}.
 */
final class Selector {
    private Selector() {
    }

    /** Matches a map of labels, or of fields ({@code metadata.name} → name …): the grammar is the same. */
    static Predicate<Map<String, String>> of(String selector) {
        List<Predicate<Map<String, String>>> terms = new ArrayList<>();
        for (String term : splitTerms(selector)) {
            terms.add(term(term.trim()));
        }
        return labels -> terms.stream().allMatch(t -> t.test(labels));
    }

    private static Predicate<Map<String, String>> term(String t) {
        if (t.isEmpty()) {
            return m -> true;
        }
        java.util.regex.Matcher set = java.util.regex.Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(t);
        if (set.matches()) {
            String key = set.group(1);
            Set<String> values = Set.of(java.util.Arrays.stream(set.group(3).split(",")).map(String::trim).toArray(String[]::new));
            boolean in = set.group(2).equals("in");
            return m -> in == (m.containsKey(key) && values.contains(m.get(key)));
        }
        int ne = t.indexOf("!=");
        if (ne > 0) {
            String key = t.substring(0, ne).trim();
            String value = t.substring(ne + 2).trim();
            return m -> !value.equals(m.get(key));
        }
        int eq = t.indexOf('=');
        if (eq > 0) {
            String key = t.substring(0, eq).trim();
            String value = t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
            return m -> value.equals(m.get(key));
        }
        if (t.startsWith("!")) {
            String key = t.substring(1).trim();
            return m -> !m.containsKey(key);
        }
        return m -> m.containsKey(t);
    }

    /** Commas separate terms, except inside the parentheses of {@code in (a,b)}. */
    private static List<String> splitTerms(String selector) {
        List<String> out = new ArrayList<>();
        if (selector == null) {
            return out;
        }
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : selector.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }
}
