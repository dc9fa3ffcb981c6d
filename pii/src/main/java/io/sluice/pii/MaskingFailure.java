package io.sluice.pii;

/**
 * A rule that cannot be applied to a value (wrong type, unparsable nested JSON). The message names
 * the problem, never the value.
 */
public final class MaskingFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason short machine-readable reason, used as a metric tag
     * @param message what is wrong, without the value
     */
    public MaskingFailure(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** The machine-readable reason. */
    public String reason() {
        return reason;
    }
}
