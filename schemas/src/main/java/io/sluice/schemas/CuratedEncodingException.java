package io.sluice.schemas;

/**
 * A row that cannot be written with its topic's schema. The message names the column and the
 * problem, never a value; {@link #reason()} is a short metric- and dead-letter-friendly code.
 */
public final class CuratedEncodingException extends RuntimeException {
    private final String reason;

    /** An encoding failure with a reason code and a value-free message. */
    public CuratedEncodingException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Short reason code, e.g. {@code decimal-scale} or {@code schema-mismatch}. */
    public String reason() {
        return reason;
    }
}
