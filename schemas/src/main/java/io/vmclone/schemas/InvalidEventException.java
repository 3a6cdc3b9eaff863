package io.vmclone.schemas;

/** A message that is not a valid pipeline event; {@code field} names what is wrong (e.g. {@code data.clone.name}). */
public class InvalidEventException extends RuntimeException {
    private final String field;

    public InvalidEventException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public InvalidEventException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The reason without the field prefix. */
    public String reason() {
        String m = getMessage();
        return m.substring(field.length() + 2);
    }
}
