package io.vmclone.schemas;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * JSON as the doors read it: a key twice in one object is refused, never resolved (Jackson would keep the
 * last one, another parser the first; a reviewer and the pipeline could then see different requests).
 * Errors name the offending key by its path, in the dotted form answers use ({@code data.spec.source}).
 */
public final class StrictJson {
    private static final ObjectReader READER = Json.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String DUPLICATE = "Duplicate field '";

    private StrictJson() {}

    private static final java.util.regex.Pattern SOURCE = java.util.regex.Pattern.compile(
            "\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
    private static final java.util.regex.Pattern JAVA_TYPE = java.util.regex.Pattern.compile("`(?:[a-z][a-z0-9_]*\\.)+([A-Za-z0-9_$]+)`");

    /**
     * What is wrong with a document, for a caller: the parser's message with its location as {@code line L, column C},
     * without what Jackson adds for a developer (a {@code [Source: REDACTED (`StreamReadFeature...` disabled)]} note,
     * Java type names such as {@code `java.lang.String`}, which become {@code `String`}).
     */
    public static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        message = SOURCE.matcher(message).replaceAll("line $1, column $2");
        message = JAVA_TYPE.matcher(message).replaceAll("`$1`");
        var at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? message : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /**
     * Parses {@code json}; a duplicate key is an {@link InvalidEventException} on {@code prefix} + its path.
     * Other syntax errors are thrown as they are, for the caller to word.
     */
    public static JsonNode read(byte[] json, String prefix) throws IOException {
        try {
            return READER.readTree(json);
        } catch (JsonParseException e) {
            JsonParser p = e.getProcessor();
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith(DUPLICATE) && p != null) {
                throw new InvalidEventException(join(prefix, path(p.getParsingContext())),
                        "appears more than once; duplicate keys are refused");
            }
            throw e;
        }
    }

    /** {@code a.b[2].c} for the context's position (its current key included). */
    static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    /** The dotted path of a mapping error ({@code spec.patches[0]}), for type errors named by field. */
    public static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    static String join(String prefix, String path) {
        if (path.isEmpty()) {
            return prefix;
        }
        return prefix == null || prefix.isEmpty() ? path : prefix + (path.startsWith("[") ? "" : ".") + path;
    }
}
