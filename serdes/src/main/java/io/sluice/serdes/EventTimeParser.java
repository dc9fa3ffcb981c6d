package io.sluice.serdes;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Reads event times as MMP partners send them: AppsFlyer's {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC
 * (fraction optional), ISO-8601 with an offset or {@code Z}, or epoch milliseconds.
 */
public final class EventTimeParser {
    private static final DateTimeFormatter LOCAL_UTC = new DateTimeFormatterBuilder()
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

    private EventTimeParser() {}

    /** Epoch milliseconds of the text, or an exception that does not quote it. */
    public static long parseMillis(String text) throws DecodeException {
        String t = text.strip();
        try {
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(t);
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
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

    /** Formats epoch milliseconds the way AppsFlyer does, for generated data. */
    public static String formatAppsFlyer(long epochMillis) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(epochMillis));
    }
}
