package io.vmclone.bridge.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.vmclone.bridge.BridgeHandler;
import io.vmclone.bridge.intake.RequestOutcome.Refused;
import io.vmclone.bridge.intake.RequestOutcome.Replayed;
import io.vmclone.runtime.Failures;
import io.vmclone.runtime.UndecodableRecord;
import io.vmclone.schemas.CloneEvent;
import io.vmclone.schemas.CloneRef;
import io.vmclone.schemas.EventCodec;
import io.vmclone.schemas.EventType;
import io.vmclone.schemas.InvalidEventException;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.Reasons;
import io.vmclone.schemas.events.CloneRequest;
import io.vmclone.schemas.events.Rejected;
import io.vmclone.schemas.validation.CloneSpecValidator;
import java.time.OffsetDateTime;

/**
 * The {@code rejected} events for intake requests that never became a clone. Such a request has no
 * resource, so it is logged under a deterministic stand-in: its own namespace when readable (else
 * {@link RequestKeys#UNKNOWN_NAMESPACE}) and {@code rej-<hash of source+id>} (or of the record's position,
 * when it has no id), with no uid and the original event id as {@code correlationId}.
 */
public final class IntakeRejections {
    private final EventCodec codec = new EventCodec();

    public CloneEvent refused(String namespace, String source, String id, Refused refusal, OffsetDateTime now) {
        return refused(namespace, source, id, refusal, null, now);
    }

    /**
     * @param record the intake record refused: a conflicting duplicate's rejection is told apart by it (the same
     *               key recurs by definition, and each delivery is a decision of its own)
     */
    public CloneEvent refused(String namespace, String source, String id, Refused refusal, String record, OffsetDateTime now) {
        CloneRef ref = new CloneRef(namespaceOrPlaceholder(namespace), RequestKeys.rejectedName(source, id), null);
        String discriminator = refusal.original() == null || record == null ? null : "conflict@" + record;
        return CloneEvent.of(BridgeHandler.STAGE, EventType.REJECTED, new Rejected(ref, BridgeHandler.STAGE, refusal.reason(),
                refusal.field(), refusal.message(), id, refusal.original()), now, discriminator);
    }

    /**
     * The answer to a replay: nothing new is made, and {@code original} names the clone the request became. Logged
     * under the request's stand-in name (never the original's, which the status reporter would mark failed).
     */
    public CloneEvent duplicate(String namespace, String source, String id, Replayed replay, String record, OffsetDateTime now) {
        CloneRef ref = new CloneRef(namespaceOrPlaceholder(namespace), RequestKeys.rejectedName(source, id), null);
        String message = "request id '" + id + "' from source '" + source + "' was already accepted as clone " + replay.original().key()
                + (replay.phase() == null ? "" : " (" + replay.phase() + ")") + "; nothing new was made";
        return CloneEvent.of(BridgeHandler.STAGE, EventType.REJECTED, new Rejected(ref, BridgeHandler.STAGE, Reasons.DUPLICATE_REQUEST,
                "id", message, id, replay.original()), now, "duplicate@" + record);
    }

    /** For a request the runtime gave up on (the API server kept failing, or refused the bridge itself). */
    public CloneEvent gaveUp(CloneEvent request, Exception error, OffsetDateTime now) {
        CloneRequest data = request.data(CloneRequest.class);
        CloneRef ref = new CloneRef(namespaceOrPlaceholder(data.namespace()),
                RequestKeys.rejectedName(request.source().toString(), request.id()), null);
        return rejected(ref, Reasons.RETRIES_EXHAUSTED, null, "the request could not be processed: " + Failures.describe(error),
                request.id(), now);
    }

    /** For a record the runtime could not decode (or of a type the intake does not take): salvage what can be read. */
    public CloneEvent undecodable(UndecodableRecord u, OffsetDateTime now) {
        InvalidEventException error = u.error();
        CloudEvent ce = null;
        try {
            ce = codec.readCloudEventLeniently(u.record()); // only to name the request in its rejection
        } catch (InvalidEventException notACloudEvent) {
            // garbage: logged under its position
        }
        CloneRef ref;
        String id = null;
        if (ce != null && ce.getId() != null && ce.getSource() != null) {
            id = ce.getId();
            ref = new CloneRef(namespaceOrPlaceholder(namespaceIn(ce)), RequestKeys.rejectedName(ce.getSource().toString(), id), null);
        } else {
            ref = new CloneRef(RequestKeys.UNKNOWN_NAMESPACE,
                    RequestKeys.rejectedName(u.record().topic(), u.record().partition(), u.record().offset()), null);
        }
        return rejected(ref, Reasons.INVALID_REQUEST, error.field(), error.reason(), id, now);
    }

    private static CloneEvent rejected(CloneRef ref, String reason, String field, String message, String correlationId,
                                       OffsetDateTime now) {
        return CloneEvent.of(BridgeHandler.STAGE, EventType.REJECTED,
                new Rejected(ref, BridgeHandler.STAGE, reason, field, message, correlationId), now, null);
    }

    private static String namespaceIn(CloudEvent ce) {
        if (ce.getData() == null) {
            return null;
        }
        try {
            JsonNode ns = Json.MAPPER.readTree(ce.getData().toBytes()).path("namespace");
            return ns.isTextual() ? ns.asText() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    static String namespaceOrPlaceholder(String namespace) {
        return namespace != null && CloneSpecValidator.isDns1123Label(namespace) ? namespace : RequestKeys.UNKNOWN_NAMESPACE;
    }
}
