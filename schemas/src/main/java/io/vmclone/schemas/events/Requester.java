package io.vmclone.schemas.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Who asked for a clone and what the bridge decided about it. Never carries a token or secret.
 *
 * @param decision {@code allowed} (checked with SubjectAccessReview), {@code trusted} (the channel's own
 *                 authority: a CR created through the API server, or the intake topic's ACLs)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Requester(String username, List<String> groups, String decision, String reason) {
    public static Requester trusted(String username, String reason) {
        return new Requester(username, null, "trusted", reason);
    }
}
