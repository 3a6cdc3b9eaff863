package io.vmclone.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmclone.bridge.auth.Identity;
import io.vmclone.bridge.intake.IntakeTrust.ActsFor;
import io.vmclone.bridge.intake.IntakeTrust.Refusal;
import io.vmclone.bridge.intake.IntakeTrust.Ruling;
import io.vmclone.bridge.intake.IntakeTrust.Trusted;
import io.vmclone.bridge.intake.RequestOutcome.Kind;
import io.vmclone.schemas.Reasons;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Kafka intake requester rule, every combination of source, requester and asserted groups. */
class IntakeTrustTest {
    private static final String TRUSTED = "/ticketing";
    private static final String UNTRUSTED = "/somebody-else";
    /** Trusted, and may assert two groups; /ci is not trusted but may assert one; /somebody-else neither. */
    private static final IntakeTrust TRUST = IntakeTrust.parse(TRUSTED + ", /batch",
            "{\"/ticketing\": [\"tickets:approvers\", \"team-a\"], \"/ci\": [\"ci-runners\"]}");

    /** What a case must come to: trusted, acting for a user with groups, or refused naming a field. */
    private record Expect(String outcome, String reason, String field, String message, List<String> groups) {
        static Expect trusted() {
            return new Expect("trusted", null, null, TRUSTED, null);
        }

        static Expect actsFor(String... groups) {
            return new Expect("acts-for", null, null, null, List.of(groups));
        }

        static Expect refused(String reason, String field, String message) {
            return new Expect("refused", reason, field, message, null);
        }
    }

    static Stream<Arguments> cases() {
        String invalid = Reasons.INVALID_REQUEST;
        String unauthorized = Reasons.UNAUTHORIZED;
        return Stream.of(
                // no requester
                Arguments.of("no requester, trusted source", TRUSTED, null, null, Expect.trusted()),
                Arguments.of("no requester, another trusted source", "/batch", null, null,
                        new Expect("trusted", null, null, "/batch", null)),
                Arguments.of("no requester, untrusted source", UNTRUSTED, null, null,
                        Expect.refused(unauthorized, "requester", "is required: source '/somebody-else' is not a trusted")),
                Arguments.of("no requester, a source that may assert groups but is not trusted", "/ci", null, null,
                        Expect.refused(unauthorized, "requester", "not a trusted intake producer")),
                Arguments.of("no requester, source differing only in case", "/Ticketing", null, null,
                        Expect.refused(unauthorized, "requester", "is required")),
                Arguments.of("no requester, trusted source with a trailing slash", "/ticketing/", null, null,
                        Expect.refused(unauthorized, "requester", "is required")),
                Arguments.of("groups without a requester, trusted source", TRUSTED, null, "team-a",
                        Expect.refused(invalid, "requestergroups", "names no requester")),
                Arguments.of("groups without a requester, untrusted source", UNTRUSTED, null, "team-a",
                        Expect.refused(invalid, "requestergroups", "names no requester")),
                // a requester, no groups: any source, checked as that user alone
                Arguments.of("requester, trusted source", TRUSTED, "alice", null, Expect.actsFor()),
                Arguments.of("requester, untrusted source", UNTRUSTED, "alice", null, Expect.actsFor()),
                // requester with groups
                Arguments.of("requester, allowed group", TRUSTED, "alice", "team-a", Expect.actsFor("team-a")),
                Arguments.of("requester, both allowed groups, spaces around them", TRUSTED, "alice", " tickets:approvers , team-a",
                        Expect.actsFor("tickets:approvers", "team-a")),
                Arguments.of("requester, a group twice", TRUSTED, "alice", "team-a,team-a", Expect.actsFor("team-a")),
                Arguments.of("requester, allowed group of an untrusted source", "/ci", "bob", "ci-runners", Expect.actsFor("ci-runners")),
                Arguments.of("requester, one allowed and one disallowed group", TRUSTED, "alice", "team-a,system:masters",
                        Expect.refused(unauthorized, "requestergroups", "source '/ticketing' may not assert group 'system:masters'")),
                Arguments.of("requester, another source's group", "/ci", "bob", "team-a",
                        Expect.refused(unauthorized, "requestergroups", "allows it group 'ci-runners'")),
                Arguments.of("requester, a group from a source allowed none", UNTRUSTED, "alice", "team-a",
                        Expect.refused(unauthorized, "requestergroups", "allows it no group")),
                Arguments.of("requester, trusted source allowed none", "/batch", "alice", "team-a",
                        Expect.refused(unauthorized, "requestergroups", "may not assert group 'team-a'")),
                Arguments.of("requester, group differing only in case", TRUSTED, "alice", "Team-A",
                        Expect.refused(unauthorized, "requestergroups", "'Team-A'")),
                // empty and malformed values
                Arguments.of("empty requester, trusted source", TRUSTED, "", null,
                        Expect.refused(invalid, "requester", "may not be empty")),
                Arguments.of("empty requester, untrusted source", UNTRUSTED, "", null,
                        Expect.refused(invalid, "requester", "may not be empty")),
                Arguments.of("blank requester", TRUSTED, "   ", null, Expect.refused(invalid, "requester", "may not be empty")),
                Arguments.of("requester with surrounding whitespace", TRUSTED, " alice", null,
                        Expect.refused(invalid, "requester", "whitespace")),
                Arguments.of("requester with a control character", TRUSTED, "ali\u0000ce", null,
                        Expect.refused(invalid, "requester", "control characters")),
                Arguments.of("requester too long", TRUSTED, "a".repeat(IntakeTrust.MAX_NAME + 1), null,
                        Expect.refused(invalid, "requester", "at most 512 characters")),
                Arguments.of("requester empty, groups given", TRUSTED, "", "team-a",
                        Expect.refused(invalid, "requester", "may not be empty")),
                Arguments.of("empty groups", TRUSTED, "alice", "", Expect.refused(invalid, "requestergroups", "may not be empty")),
                Arguments.of("blank groups", TRUSTED, "alice", " ", Expect.refused(invalid, "requestergroups", "may not be empty")),
                Arguments.of("an empty group among others", TRUSTED, "alice", "team-a,,tickets:approvers",
                        Expect.refused(invalid, "requestergroups", "empty group")),
                Arguments.of("a trailing comma", TRUSTED, "alice", "team-a,", Expect.refused(invalid, "requestergroups", "empty group")),
                Arguments.of("a group with a control character", TRUSTED, "alice", "team-a\n",
                        Expect.refused(invalid, "requestergroups", "control characters")),
                Arguments.of("too many groups", TRUSTED, "alice", "team-a,".repeat(IntakeTrust.MAX_GROUPS) + "team-a",
                        Expect.refused(invalid, "requestergroups", "at most 32 groups")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(String name, String source, String requester, String groups, Expect expect) {
        Ruling ruling = TRUST.rule(source, requester, groups);
        switch (expect.outcome()) {
            case "trusted" -> assertThat(ruling).isInstanceOfSatisfying(Trusted.class,
                    t -> assertThat(t.reason()).contains(expect.message()).contains(IntakeTrust.ENV_TRUSTED_SOURCES));
            case "acts-for" -> assertThat(ruling).isInstanceOfSatisfying(ActsFor.class,
                    a -> assertThat(a.requester()).isEqualTo(new Identity(requester, expect.groups())));
            default -> assertThat(ruling).isInstanceOfSatisfying(Refusal.class, r -> {
                assertThat(r.refused().reason()).as("reason").isEqualTo(expect.reason());
                assertThat(r.refused().kind()).isEqualTo(Reasons.UNAUTHORIZED.equals(expect.reason()) ? Kind.FORBIDDEN : Kind.INVALID);
                assertThat(r.refused().field()).as("field").isEqualTo(expect.field());
                assertThat(r.refused().message()).as("message").contains(expect.message());
            });
        }
    }

    @Test
    void withNothingConfiguredEveryRequestMustNameItsRequesterWhoAssertsNoGroup() {
        IntakeTrust none = IntakeTrust.parse("", "");
        assertThat(none).isEqualTo(IntakeTrust.NONE);
        assertThat(IntakeTrust.parse(null, null)).isEqualTo(IntakeTrust.NONE);
        assertThat(none.rule(TRUSTED, null, null)).isInstanceOf(Refusal.class);
        assertThat(none.rule(TRUSTED, "alice", null)).isEqualTo(new ActsFor(new Identity("alice", List.of())));
        assertThat(none.rule(TRUSTED, "alice", "team-a")).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.refused().field()).isEqualTo("requestergroups"));
    }

    @Test
    void badConfigurationFailsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> IntakeTrust.parse("/a,,/b", null)).hasMessageContaining(IntakeTrust.ENV_TRUSTED_SOURCES)
                .hasMessageContaining("empty source");
        assertThatThrownBy(() -> IntakeTrust.parse("/a\u0007", null)).hasMessageContaining("control characters");
        assertThatThrownBy(() -> IntakeTrust.parse(null, "[\"/a\"]")).hasMessageContaining(IntakeTrust.ENV_REQUESTER_GROUPS)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> IntakeTrust.parse(null, "{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> IntakeTrust.parse(null, "{\"/a\": \"team-a\"}")).hasMessageContaining("[\"/a\"]")
                .hasMessageContaining("array of group names");
        assertThatThrownBy(() -> IntakeTrust.parse(null, "{\"/a\": [1]}")).hasMessageContaining("only strings");
        assertThatThrownBy(() -> IntakeTrust.parse(null, "{\"/a\": [\"x,y\"]}")).hasMessageContaining("comma");
        assertThatThrownBy(() -> IntakeTrust.parse(null, "{\"/a\": [\"\"]}")).hasMessageContaining("may not be empty");
        assertThatThrownBy(() -> IntakeTrust.parse(null, "{\"\": [\"team-a\"]}")).hasMessageContaining("empty source");
    }
}
