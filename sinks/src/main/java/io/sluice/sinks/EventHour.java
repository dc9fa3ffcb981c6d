package io.sluice.sinks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One UTC hour of event time, the unit of lake partitioning: {@code year=YYYY/month=MM/day=DD/hour=HH}.
 *
 * @param startMs epoch milliseconds of the hour's first instant
 */
public record EventHour(long startMs) implements Comparable<EventHour> {
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();
    private static final Pattern PARTITION = Pattern.compile("year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})");

    public EventHour {
        if (Math.floorMod(startMs, HOUR_MS) != 0) {
            throw new IllegalArgumentException("not the start of an hour: " + startMs);
        }
    }

    /** The hour an event time falls in. */
    public static EventHour containing(long epochMs) {
        return new EventHour(Math.floorDiv(epochMs, HOUR_MS) * HOUR_MS);
    }

    /** Parses {@code year=YYYY/month=MM/day=DD/hour=HH} (or a path ending in it). */
    public static EventHour parse(String partitionPath) {
        Matcher m = PARTITION.matcher(partitionPath);
        if (!m.find()) {
            throw new IllegalArgumentException("not an hour partition path: " + partitionPath);
        }
        ZonedDateTime t = ZonedDateTime.of(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)),
                0,
                0,
                0,
                ZoneOffset.UTC);
        return new EventHour(t.toInstant().toEpochMilli());
    }

    /** Parses the command-line form {@code YYYY-MM-DDTHH}. */
    public static EventHour parseIso(String text) {
        return containing(Instant.parse(text + ":00:00Z").toEpochMilli());
    }

    /** The Hive-style partition path, zero-padded. */
    public String partitionPath() {
        ZonedDateTime t = Instant.ofEpochMilli(startMs).atZone(ZoneOffset.UTC);
        return String.format(
                "year=%04d/month=%02d/day=%02d/hour=%02d",
                t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
    }

    /** The first instant after this hour. */
    public long endMs() {
        return startMs + HOUR_MS;
    }

    /** Whether the hour is closed at {@code nowMs}, allowing {@code grace} for late events. */
    public boolean isClosed(long nowMs, Duration grace) {
        return endMs() + grace.toMillis() <= nowMs;
    }

    @Override
    public int compareTo(EventHour other) {
        return Long.compare(startMs, other.startMs);
    }

    @Override
    public String toString() {
        return Instant.ofEpochMilli(startMs).toString().substring(0, 13);
    }
}
