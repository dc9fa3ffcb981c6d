package io.sluice.pii;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a masking rule does to a column, and the type of what it writes. */
public enum MaskingAction {
    /** The value passes unchanged: only for columns known to hold no personal data. Output: the input's type. */
    KEEP(0),
    /** The value is cut to its first N characters. Output: text. */
    TRUNCATE(1),
    /** The value is coarsened: a date to its year, a birth date to an age band, an IP to its network, a number to a bucket. */
    GENERALIZE(2),
    /** Part of the value is replaced by '*' (keep the first/last N characters, or an e-mail's domain). Output: text. */
    MASK(3),
    /** The value is replaced by a keyed HMAC-SHA256 pseudonym, stable across sources so data still joins. Output: text. */
    HASH(4),
    /** The column stays, its value becomes null. */
    REDACT(5),
    /** The column is removed from the record. */
    DROP(6);

    private final int restrictiveness;

    MaskingAction(int restrictiveness) {
        this.restrictiveness = restrictiveness;
    }

    /** Fail-closed order: when two equally specific rules disagree, the one that reveals less wins. */
    int restrictiveness() {
        return restrictiveness;
    }

    /** The spelling used in configuration files. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration spelling; the message lists the accepted values. */
    public static MaskingAction fromConfig(String value) {
        for (MaskingAction action : values()) {
            if (action.configName().equals(value)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action '" + value + "', expected one of "
                + Arrays.stream(values()).map(MaskingAction::configName).collect(Collectors.joining(", ")));
    }
}
