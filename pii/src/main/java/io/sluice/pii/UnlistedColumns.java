package io.sluice.pii;

import java.util.Locale;

/** What happens to a column that no rule selects. */
public enum UnlistedColumns {
    /** Allow-list mode (the default): a column nobody has vouched for never leaves the gate. */
    DROP,
    /** Deny-list mode: columns without a rule pass unchanged. */
    KEEP;

    /** Parses a configuration spelling. */
    public static UnlistedColumns fromConfig(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "drop" -> DROP;
            case "keep" -> KEEP;
            default -> throw new IllegalArgumentException("unknown mode '" + value + "', expected drop or keep");
        };
    }
}
