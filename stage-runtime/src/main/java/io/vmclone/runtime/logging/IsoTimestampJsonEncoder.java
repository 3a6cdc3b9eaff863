package io.vmclone.runtime.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * logback's {@link JsonEncoder} (one JSON object per line) with {@code timestamp} as an ISO-8601 string in UTC with
 * millisecond precision ({@code 2026-12-02T20:31:29.042Z}) first in the object, instead of epoch milliseconds: what
 * log collectors and humans read without conversion. Used by every entry point's logback configuration (the four
 * services' {@code logback.xml} in stage-runtime and the CLI's {@code vmclone-cli-logback.xml}).
 */
public class IsoTimestampJsonEncoder extends JsonEncoder {
    /** Always three fraction digits and a Z, unlike {@link Instant#toString()}, which drops zero milliseconds. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public IsoTimestampJsonEncoder() {
        super.setWithTimestamp(false);
    }

    /** The epoch-millisecond timestamp of the parent stays off: this encoder writes its own. */
    @Override
    public void setWithTimestamp(boolean ignored) {
        super.setWithTimestamp(false);
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] rest = super.encode(event); // {"level":...}\n
        String head = "{\"timestamp\":\"" + TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())) + "\"";
        boolean noOtherMember = rest.length > 1 && rest[1] == '}';
        StringBuilder out = new StringBuilder(rest.length + head.length() + 1).append(head);
        if (!noOtherMember) {
            out.append(',');
        }
        out.append(new String(rest, 1, rest.length - 1, StandardCharsets.UTF_8));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
