package io.sluice.pii;

import java.util.Locale;

/** What a detector hit does. */
public enum DetectorAction {
    /** The matched text is replaced by a marker such as {@code [email]} (the default). */
    MASK,
    /** The matched text is replaced by its pseudonym, so e-mails in free text still join. */
    HASH,
    /** The whole value becomes null. */
    REDACT,
    /** The whole field is removed. */
    DROP;

    /** Parses a configuration spelling. */
    public static DetectorAction fromConfig(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown detector action '" + text + "', expected mask, hash, redact or drop");
        }
    }
}
