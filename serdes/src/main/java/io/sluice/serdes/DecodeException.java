package io.sluice.serdes;

/**
 * A record that cannot be decoded. The message names fields and positions, never values, because
 * the payload has not been masked yet.
 */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason  short machine-readable reason (malformed-json, missing-field, bad-event-time, ...)
     * @param message what is wrong, without any value from the payload
     */
    public DecodeException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** The machine-readable reason, used as a metric tag and in the dead-letter entry. */
    public String reason() {
        return reason;
    }
}
