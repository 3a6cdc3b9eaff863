package io.vmclone.bridge.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vmclone.schemas.Json;
import io.vmclone.schemas.events.CloneRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic names and keys for external requests: the same CloudEvent {@code source} + {@code id}
 * always gives the same clone name and label, so a redelivered request finds the clone it made.
 */
public final class RequestKeys {
    /** Prefix of a clone name derived from a request (DNS-1123; 4 + 20 hex characters = 24). */
    public static final String CLONE_PREFIX = "req-";
    /** Prefix of the name a rejected request is logged under; never the name of a materialised clone. */
    public static final String REJECTED_PREFIX = "rej-";
    /** Namespace a rejection is logged under when the request's own namespace is unreadable. */
    public static final String UNKNOWN_NAMESPACE = "vmclone-intake";
    private static final int KEY_HEX = 20; // 80 bits: collisions need ~10^12 requests

    private static final ObjectMapper CANONICAL = Json.MAPPER.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private RequestKeys() {}

    /** A label-safe hash of {@code source} + {@code id}: the request's identity. */
    public static String requestKey(String source, String id) {
        return sha256(source + "\n" + id).substring(0, KEY_HEX);
    }

    /** The clone name for a request that names none. */
    public static String cloneName(String source, String id) {
        return CLONE_PREFIX + requestKey(source, id);
    }

    /** The name a rejected request (which has no clone) is logged under. */
    public static String rejectedName(String source, String id) {
        return REJECTED_PREFIX + requestKey(source, id);
    }

    /** The name an unreadable record is logged under: keyed by where it sat, as it has no id. */
    public static String rejectedName(String topic, int partition, long offset) {
        return REJECTED_PREFIX + sha256(topic + "-" + partition + "@" + offset).substring(0, KEY_HEX);
    }

    /** SHA-256 of the request's canonical JSON (map keys sorted): equal bodies, equal digests. */
    public static String digest(CloneRequest request) {
        try {
            return sha256(CANONICAL.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the request", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
