package io.sluice.serdes;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/**
 * Reads event times as MMP partners send them: AppsFlyer's {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC
 * (fraction optional), ISO-8601 with an offset or {@code Z}, or epoch milliseconds.
 */
public final class EventTimeParser {
    /** The formatter for times without an offset; the fast path must decide as it does (EventTimeParserTest). */
    static final DateTimeFormatter LOCAL_UTC = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .toFormatter();

    private static final Pattern OFFSET = Pattern.compile(".*[+-]\\d\\d:?\\d\\d$");
    private static final long NOT_PLAIN = Long.MIN_VALUE;
    private static final int[] FRACTION_SCALE = {
        0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };

    private EventTimeParser() {}

    /** Epoch milliseconds of the text, or an exception that does not quote it. */
    public static long parseMillis(String text) throws DecodeException {
        String t = text.strip();
        long plain = plainUtc(t);
        if (plain != NOT_PLAIN) {
            return plain;
        }
        try {
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(t);
            }
            if (t.endsWith("Z") || OFFSET.matcher(t).matches()) {
                return OffsetDateTime.parse(t.replace(' ', 'T'), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant()
                        .toEpochMilli();
            }
            return LocalDateTime.parse(t, LOCAL_UTC).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new DecodeException(
                    "bad-event-time",
                    "event time is not 'yyyy-MM-dd HH:mm:ss[.SSS]' (UTC), ISO-8601 or epoch milliseconds");
        }
    }

    /**
     * The common case read without a formatter (whose parse builds maps per call: a tenth of the pipeline's CPU in a
     * profile): exactly {@code yyyy-MM-dd HH:mm:ss} or with a {@code T}, an optional fraction of 1 to 9 ASCII digits, a
     * valid date and time. Anything else, {@link #NOT_PLAIN}, goes to the formatter, which decides as before.
     */
    private static long plainUtc(String t) {
        int n = t.length();
        if (n < 19 || n == 20 || n > 29) {
            return NOT_PLAIN;
        }
        char separator = t.charAt(10);
        if (t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || (separator != ' ' && separator != 'T')
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || (n > 19 && t.charAt(19) != '.')) {
            return NOT_PLAIN;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int fraction = n > 19 ? digits(t, 20, n) : 0;
        if ((year | month | day | hour | minute | second | fraction) < 0 || year == 0) {
            return NOT_PLAIN;
        }
        try {
            long seconds =
                    LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
            return seconds * 1000 + (long) fraction * FRACTION_SCALE[Math.max(0, n - 20)] / 1_000_000;
        } catch (DateTimeException e) {
            return NOT_PLAIN; // e.g. 24:00:00 or February 30: the formatter resolves or refuses those as before
        }
    }

    /** The ASCII digits from {@code from} to {@code to} as a number, or -1 if any is not one. */
    private static int digits(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Formats epoch milliseconds the way AppsFlyer does, for generated data. */
    public static String formatAppsFlyer(long epochMillis) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(epochMillis));
    }
}
