package io.sluice.pii;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a masking rule does to a column. */
public enum MaskingAction {
    /** The value passes unchanged: only for columns known to hold no personal data. */
    KEEP,
    /** The column is removed from the record. */
    DROP,
    /** The value is replaced by a keyed HMAC-SHA256 pseudonym, stable across sources so data still joins. */
    HASH;

    /** Fail-closed order: when two equally specific rules disagree, the one that reveals less wins. */
    int restrictiveness() {
        return switch (this) {
            case KEEP -> 0;
            case HASH -> 1;
            case DROP -> 2;
        };
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
