package io.vmclone.schemas;

import io.vmclone.schemas.events.Failed;
import io.vmclone.schemas.events.Rejected;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The documented limits (docs/events.md) of the free-text fields of {@code rejected} and {@code failed}
 * events. A stage writes every outcome through {@link #bounded}, so a rejection or failure fits one record
 * whatever the input it answers (a {@code ce_id} of 200,000 control characters, a 1 MB message).
 */
public final class OutcomeLimits {
    public static final int MESSAGE = 4096;
    public static final int FIELD = 512;
    public static final int CORRELATION_ID = 512;
    public static final int STAGE = 64;
    public static final int REASON = 64;
    public static final int TARGET_NAME = 253;

    private OutcomeLimits() {}

    /** {@code event} with the text fields of a rejected/failed cut to the limits; any other event as it is. */
    public static CloneEvent bounded(CloneEvent event) {
        Object data = event.data();
        Object bounded;
        if (data instanceof Rejected r) {
            bounded = new Rejected(r.cloneRef(), text(r.stage(), STAGE, "unknown"), text(r.reason(), REASON, "Unknown"),
                    text(r.field(), FIELD, null), text(r.message(), MESSAGE, "(no message)"),
                    text(r.correlationId(), CORRELATION_ID, null), r.original());
        } else if (data instanceof Failed f) {
            bounded = new Failed(f.cloneRef(), text(f.stage(), STAGE, null), text(f.reason(), REASON, "Unknown"),
                    text(f.message(), MESSAGE, "(no message)"), text(f.targetName(), TARGET_NAME, null));
        } else {
            return event;
        }
        return bounded.equals(data) ? event
                : new CloneEvent(event.id(), event.source(), event.type(), event.time(), bounded, event.requester(),
                        event.requesterGroups());
    }

    /**
     * {@code text} if it has at most {@code max} characters; else its start plus a marker with its full length
     * and a SHA-256 prefix (so a cut id can still be matched against the original), {@code max} characters in all.
     */
    public static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String marker = "…[" + text.length() + " chars, sha256 " + sha256(text).substring(0, 16) + "]";
        int keep = Math.max(0, max - marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--; // never split a surrogate pair
        }
        return text.substring(0, keep) + marker;
    }

    /** As {@link #truncate}; null or empty gives {@code fallback} (the schemas require some fields non-empty). */
    private static String text(String text, int max, String fallback) {
        return text == null || text.isEmpty() ? fallback : truncate(text, max);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
