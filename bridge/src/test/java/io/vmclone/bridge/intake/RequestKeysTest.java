package io.vmclone.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmclone.schemas.CloneSpec;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.validation.CloneSpecValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestKeysTest {
    @Test
    void derivedNamesAreDeterministicDnsLabelsPerSourceAndId() {
        String name = RequestKeys.cloneName("/ticketing", "42");
        assertThat(name).isEqualTo(RequestKeys.cloneName("/ticketing", "42"));
        assertThat(name).startsWith(RequestKeys.CLONE_PREFIX).hasSize(24);
        assertThat(CloneSpecValidator.isDns1123Label(name)).isTrue();
        assertThat(name).isNotEqualTo(RequestKeys.cloneName("/ticketing", "43"))
                .isNotEqualTo(RequestKeys.cloneName("/billing", "42"));
        // source and id are separated, so moving characters between them is another request
        assertThat(RequestKeys.requestKey("/a", "bc")).isNotEqualTo(RequestKeys.requestKey("/ab", "c"));
    }

    @Test
    void namesStayShortForHugeIdsAndRejectionsNeverShareAClonesName() {
        String longId = "x".repeat(5000);
        assertThat(RequestKeys.cloneName("/s", longId)).hasSize(24);
        assertThat(RequestKeys.rejectedName("/s", longId)).hasSize(24).startsWith(RequestKeys.REJECTED_PREFIX)
                .isNotEqualTo(RequestKeys.cloneName("/s", longId));
        assertThat(CloneSpecValidator.isDns1123Label(RequestKeys.rejectedName("intake", 3, 17))).isTrue();
        assertThat(RequestKeys.rejectedName("intake", 3, 17)).isNotEqualTo(RequestKeys.rejectedName("intake", 3, 18));
        assertThat(CloneSpecValidator.isDns1123Label(RequestKeys.UNKNOWN_NAMESPACE)).isTrue();
    }

    @Test
    void digestIgnoresMapOrderButNotContent() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "02:00:00:00:00:01");
        ab.put("b", "02:00:00:00:00:02");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "02:00:00:00:00:02");
        ba.put("a", "02:00:00:00:00:01");
        assertThat(RequestKeys.digest(request(ab, "copy"))).isEqualTo(RequestKeys.digest(request(ba, "copy")));
        assertThat(RequestKeys.digest(request(ab, "copy"))).isNotEqualTo(RequestKeys.digest(request(ab, "other")));
    }

    private static CloneRequest request(Map<String, String> macs, String target) {
        CloneSpec s = CloneSpec.of("web", target);
        return new CloneRequest("default", null, CloneSpec.builder().source(s.source()).target(s.target())
                .newMacAddresses(macs).build());
    }
}
