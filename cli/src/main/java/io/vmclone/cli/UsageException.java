package io.vmclone.cli;

/** Input the user must fix (a flag, a file, a field): exit code 2 with this message. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code <field>: <reason>}, the way every input error names what is wrong. */
    public static UsageException field(String field, String reason) {
        return new UsageException(field + ": " + reason);
    }
}
