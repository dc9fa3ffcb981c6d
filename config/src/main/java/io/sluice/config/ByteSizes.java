package io.sluice.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as written in configuration: {@code 1048576}, {@code 512KB}, {@code 8MB}, {@code 1GB} (binary multiples). */
public final class ByteSizes {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");

    private ByteSizes() {}

    /** Parses a size; a bad one is a configuration error naming {@code key}. */
    public static long parse(String key, String text) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(
                    key,
                    "'" + text
                            + "' is not a size; write a whole number with an optional unit: KB, MB or GB (e.g. 256MB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long size = switch (unit) {
            case "kb", "kib" -> n << 10;
            case "mb", "mib" -> n << 20;
            case "gb", "gib" -> n << 30;
            default -> n;
        };
        if (size < 1) {
            throw new ConfigException(key, "must be positive");
        }
        return size;
    }
}
