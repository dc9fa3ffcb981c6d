package io.sluice.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in configuration: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {}

    /** Parses {@code text}; a {@link ConfigException} names {@code key} when it is not a duration. */
    public static Duration parse(String key, String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new ConfigException(
                    key,
                    "'" + text + "' is not a duration; write a whole number and a unit: ms, s, m, h or d (e.g. 10m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
