package io.vmclone.bridge.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.Origin;
import io.vmclone.schemas.events.Requester;
import io.vmclone.schemas.kube.CloneLabels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The annotations a materialised VirtualMachineClone carries about the request that made it, and how the
 * resource watcher reads them back into the {@code requested} event's origin and requester. Only names,
 * groups and decisions: never a token.
 */
public final class RequestAnnotations {
    private RequestAnnotations() {}

    public static Map<String, String> of(ExternalRequest request, Requester requester, String digest) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(CloneLabels.REQUEST_CHANNEL, request.channel());
        a.put(CloneLabels.REQUEST_SOURCE, request.source());
        a.put(CloneLabels.REQUEST_ID, request.id());
        a.put(CloneLabels.REQUEST_DIGEST, digest);
        if (request.record() != null) {
            a.put(CloneLabels.REQUEST_RECORD, request.record());
        }
        if (requester.username() != null) {
            a.put(CloneLabels.REQUESTER, requester.username());
        }
        try {
            a.put(CloneLabels.REQUESTER_DECISION, Json.MAPPER.writeValueAsString(requester));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the requester", e);
        }
        return a;
    }

    /**
     * Where the clone came from: the request's channel, source, id and digest (so the log alone can tell a
     * replay from a different request after the clone is gone), or the resource channel.
     */
    public static Origin origin(Map<String, String> annotations) {
        if (annotations == null || annotations.get(CloneLabels.REQUEST_ID) == null) {
            return Origin.resource();
        }
        String channel = annotations.get(CloneLabels.REQUEST_CHANNEL);
        if (!Origin.INTAKE.equals(channel) && !Origin.HTTP.equals(channel)) {
            channel = Origin.INTAKE;
        }
        String digest = annotations.get(CloneLabels.REQUEST_DIGEST);
        boolean sha256 = digest != null && digest.matches("[0-9a-f]{64}"); // the event schema's rule: anything else is left out
        return new Origin(channel, annotations.get(CloneLabels.REQUEST_SOURCE), annotations.get(CloneLabels.REQUEST_ID),
                sha256 ? digest : null);
    }

    /** The requester recorded at materialisation, if any (an unreadable record counts as none). */
    public static Optional<Requester> requester(Map<String, String> annotations) {
        String json = annotations == null ? null : annotations.get(CloneLabels.REQUESTER_DECISION);
        if (json == null) {
            return Optional.empty();
        }
        try {
            Requester r = Json.MAPPER.readValue(json, Requester.class);
            boolean known = "allowed".equals(r.decision()) || "trusted".equals(r.decision());
            return known ? Optional.of(r) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Whether a clone's annotations say it was made for the request {@code source} + {@code id}. */
    public static boolean madeFor(Map<String, String> annotations, String source, String id) {
        return annotations != null && source.equals(annotations.get(CloneLabels.REQUEST_SOURCE))
                && id.equals(annotations.get(CloneLabels.REQUEST_ID));
    }
}
