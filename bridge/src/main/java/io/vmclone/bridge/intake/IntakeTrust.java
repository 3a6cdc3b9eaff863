package io.vmclone.bridge.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmclone.bridge.auth.Identity;
import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.schemas.Headers;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Reasons;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whom a Kafka intake request acts for: the pure rule, and the configuration it reads. A request must name its
 * {@code requester} unless its CloudEvent {@code source} is a trusted producer; a named requester is authorized
 * (by the caller, with a SubjectAccessReview) with exactly the groups it was sent with, and a source may assert
 * only the groups configured for it. Anything else is refused with the field at fault.
 *
 * <p>The {@code source} is what the producer says it is: Kafka tells the bridge nothing about who wrote a record,
 * so the ACLs on the intake topic (docs/operations.md) decide who may write at all, and every producer with
 * {@code Write} there can claim any source. Trust a source only as far as you trust all of them.
 *
 * @param trustedSources   sources whose requests may name no requester (they act on their own authority)
 * @param assertableGroups per source, the groups its requests may assert for their requester (none if absent)
 */
public record IntakeTrust(Set<String> trustedSources, Map<String, Set<String>> assertableGroups) {
    public static final String ENV_TRUSTED_SOURCES = "VMCLONE_BRIDGE_INTAKE_TRUSTED_SOURCES";
    public static final String ENV_REQUESTER_GROUPS = "VMCLONE_BRIDGE_INTAKE_REQUESTER_GROUPS";

    /** Longest requester (user name) or group name taken: both are stored on the clone and quoted in answers. */
    public static final int MAX_NAME = 512;
    /** Most groups one request may assert. */
    public static final int MAX_GROUPS = 32;

    /** Nobody is trusted and no group may be asserted: every request names a user, checked as that user alone. */
    public static final IntakeTrust NONE = new IntakeTrust(Set.of(), Map.of());

    public IntakeTrust {
        trustedSources = Set.copyOf(trustedSources);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        assertableGroups.forEach((source, groups) -> copy.put(source, Set.copyOf(groups)));
        assertableGroups = Map.copyOf(copy);
    }

    /** What the rule decided. */
    public sealed interface Ruling {}

    /** No requester, from a trusted source: the request acts on the source's own authority. */
    public record Trusted(String reason) implements Ruling {}

    /** The request acts for this user (with these groups), to be authorized with a SubjectAccessReview. */
    public record ActsFor(Identity requester) implements Ruling {}

    /** Refused; nothing may be created. */
    public record Refusal(Refused refused) implements Ruling {}

    /**
     * The rule. {@code source} must already be a valid source ({@link RequestCheck#checkIdentity}).
     *
     * @param requester the {@code requester} extension as sent; null = absent
     * @param groups    the {@code requestergroups} extension as sent (comma-separated); null = absent
     */
    public Ruling rule(String source, String requester, String groups) {
        if (requester == null) {
            if (groups != null) {
                return refuse(Kind.INVALID, Reasons.INVALID_REQUEST, Headers.REQUESTER_GROUPS_EXTENSION,
                        "asserts groups but the request names no requester: groups are asserted only for a named requester");
            }
            if (trustedSources.contains(source)) {
                return new Trusted(trustedReason(source));
            }
            return refuse(Kind.FORBIDDEN, Reasons.UNAUTHORIZED, Headers.REQUESTER_EXTENSION,
                    "is required: source '" + source + "' is not a trusted intake producer (" + ENV_TRUSTED_SOURCES
                            + "), so a request from it must name the user it acts for");
        }
        String badName = badName(requester);
        if (badName != null) {
            return refuse(Kind.INVALID, Reasons.INVALID_REQUEST, Headers.REQUESTER_EXTENSION, badName);
        }
        List<String> asserted = new ArrayList<>();
        if (groups != null) {
            Refusal bad = parseGroups(groups, asserted);
            if (bad != null) {
                return bad;
            }
        }
        Set<String> allowed = assertableGroups.getOrDefault(source, Set.of());
        List<String> notAllowed = asserted.stream().filter(g -> !allowed.contains(g)).toList();
        if (!notAllowed.isEmpty()) {
            return refuse(Kind.FORBIDDEN, Reasons.UNAUTHORIZED, Headers.REQUESTER_GROUPS_EXTENSION,
                    "source '" + source + "' may not assert " + quoted(notAllowed) + " (" + ENV_REQUESTER_GROUPS + " allows it "
                            + (allowed.isEmpty() ? "no group" : quoted(allowed.stream().sorted().toList())) + ")");
        }
        return new ActsFor(new Identity(requester, asserted));
    }

    /** The reason a trusted source's request (no requester) carries on the clone and its {@code requested} event. */
    public static String trustedReason(String source) {
        return "source '" + source + "' is a trusted intake producer (" + ENV_TRUSTED_SOURCES + ")";
    }

    /** Splits {@code raw} into {@code into}, dropping repeats; a refusal if a name is not one. */
    private static Refusal parseGroups(String raw, List<String> into) {
        String field = Headers.REQUESTER_GROUPS_EXTENSION;
        if (raw.isBlank()) {
            return refuse(Kind.INVALID, Reasons.INVALID_REQUEST, field, "may not be empty (leave it out to assert no group)");
        }
        String[] parts = raw.split(",", -1);
        if (parts.length > MAX_GROUPS) {
            return refuse(Kind.INVALID, Reasons.INVALID_REQUEST, field, "may assert at most " + MAX_GROUPS + " groups, got " + parts.length);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String part : parts) {
            String group = part.strip(); // spaces around a comma are layout; a control character is not
            if (part.codePoints().anyMatch(Character::isISOControl)) {
                return refuse(Kind.INVALID, Reasons.INVALID_REQUEST, field, "group '" + printable(group) + "' may not contain control characters");
            }
            if (group.isEmpty()) {
                return refuse(Kind.INVALID, Reasons.INVALID_REQUEST, field, "names an empty group (a comma-separated list of group names)");
            }
            String bad = badName(group);
            if (bad != null) {
                return refuse(Kind.INVALID, Reasons.INVALID_REQUEST, field, "group '" + printable(group) + "' " + bad);
            }
            seen.add(group);
        }
        into.addAll(seen);
        return null;
    }

    /** What is wrong with a user or group name, or null. Whitespace around it would name another user to RBAC. */
    private static String badName(String name) {
        if (name.isBlank()) {
            return "may not be empty";
        }
        if (name.length() > MAX_NAME) {
            return "must be at most " + MAX_NAME + " characters, got " + name.length();
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return "may not contain control characters";
        }
        if (!name.strip().equals(name)) {
            return "may not begin or end with whitespace";
        }
        return null;
    }

    private static Refusal refuse(Kind kind, String reason, String field, String message) {
        return new Refusal(new Refused(kind, reason, field, message));
    }

    private static String quoted(List<String> groups) {
        return (groups.size() == 1 ? "group " : "groups ") + groups.stream().map(g -> "'" + g + "'").collect(Collectors.joining(", "));
    }

    private static String printable(String s) {
        return s.codePoints().mapToObj(c -> Character.isISOControl(c) ? "?" : Character.toString(c)).collect(Collectors.joining());
    }

    /**
     * Reads the configuration; a bad value fails the start with the variable and what is wrong.
     *
     * @param trustedSources {@value #ENV_TRUSTED_SOURCES}: comma-separated sources; null or blank = none
     * @param groupsJson     {@value #ENV_REQUESTER_GROUPS}: a JSON object, source → array of group names; null or blank = none
     */
    public static IntakeTrust parse(String trustedSources, String groupsJson) {
        Set<String> trusted = new LinkedHashSet<>();
        if (trustedSources != null && !trustedSources.isBlank()) {
            for (String s : trustedSources.split(",", -1)) {
                String source = s.strip();
                String bad = source.isEmpty() ? "names an empty source" : badSource(source);
                if (bad != null) {
                    throw new IllegalArgumentException(ENV_TRUSTED_SOURCES + " " + bad + " (comma-separated CloudEvent sources)");
                }
                trusted.add(source);
            }
        }
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        if (groupsJson != null && !groupsJson.isBlank()) {
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(groupsJson);
            } catch (IOException e) {
                throw new IllegalArgumentException(ENV_REQUESTER_GROUPS + " is not valid JSON (a JSON object: source -> [group, ...])");
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(ENV_REQUESTER_GROUPS + " must be a JSON object: source -> [group, ...]");
            }
            for (Map.Entry<String, JsonNode> e : iterable(root)) {
                String where = ENV_REQUESTER_GROUPS + "[\"" + printable(e.getKey()) + "\"]";
                String badKey = e.getKey().isEmpty() ? "is an empty source" : badSource(e.getKey());
                if (badKey != null) {
                    throw new IllegalArgumentException(where + " " + badKey);
                }
                if (!e.getValue().isArray()) {
                    throw new IllegalArgumentException(where + " must be an array of group names");
                }
                Set<String> names = new LinkedHashSet<>();
                for (JsonNode g : e.getValue()) {
                    String bad = !g.isTextual() ? "must hold only strings, got " + g.getNodeType().name().toLowerCase()
                            : g.asText().contains(",") ? "names '" + printable(g.asText()) + "', which contains a comma: the "
                                    + Headers.REQUESTER_GROUPS_EXTENSION + " extension (comma-separated) cannot carry it"
                            : badName(g.asText()) != null ? "names '" + printable(g.asText()) + "', which " + badName(g.asText()) : null;
                    if (bad != null) {
                        throw new IllegalArgumentException(where + " " + bad);
                    }
                    names.add(g.asText());
                }
                groups.put(e.getKey(), names);
            }
        }
        return new IntakeTrust(trusted, groups);
    }

    private static String badSource(String source) {
        if (source.length() > RequestCheck.MAX_SOURCE) {
            return "names a source of " + source.length() + " characters (at most " + RequestCheck.MAX_SOURCE + ")";
        }
        if (source.codePoints().anyMatch(Character::isISOControl)) {
            return "names a source with control characters";
        }
        return null;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        object.fields().forEachRemaining(entries::add);
        return entries;
    }

    /** For the start-up log: what is trusted, without the groups' names. */
    public String summary() {
        return (trustedSources.isEmpty() ? "no trusted intake source (every intake request must name its requester)"
                : "trusted intake sources " + Arrays.toString(trustedSources.stream().sorted().toArray()))
                + "; " + assertableGroups.size() + " source(s) may assert groups";
    }
}
