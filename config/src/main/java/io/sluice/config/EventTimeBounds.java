package io.sluice.config;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * How far a source's event times are trusted. Event times come from device clocks and database
 * clocks; a time more than {@code maxAhead} ahead of the record's arrival (the input record's
 * timestamp, bounded by this process's clock) or before {@code notBefore} is implausible, and is
 * either replaced by the arrival time (the original kept in {@code __event_time_original}) or
 * dead-lettered.
 *
 * @param maxAhead    how far ahead of its arrival an event time may be (clock skew tolerated)
 * @param notBefore   the earliest plausible event time
 * @param implausible what happens to a record whose event time is implausible
 */
public record EventTimeBounds(Duration maxAhead, Instant notBefore, Implausible implausible) {
    /** Ten minutes ahead, not before 2000-01-01, implausible times replaced by the arrival time. */
    public static final EventTimeBounds DEFAULT =
            new EventTimeBounds(Duration.ofMinutes(10), Instant.parse("2000-01-01T00:00:00Z"), Implausible.USE_ARRIVAL);
    /** The widest skew accepted: more would let one clock push event times past what a partition path can name. */
    public static final Duration MAX_AHEAD_LIMIT = Duration.ofDays(7);
    /** The earliest {@code notBefore} accepted: lake partitions name four-digit years. */
    public static final Instant NOT_BEFORE_LIMIT = Instant.parse("1900-01-01T00:00:00Z");

    public EventTimeBounds {
        Objects.requireNonNull(maxAhead, "maxAhead");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(implausible, "implausible");
    }

    /** What happens to a record whose event time is implausible. */
    public enum Implausible {
        /** The record is curated with its arrival time as event time, the original in {@code __event_time_original}. */
        USE_ARRIVAL("use-arrival"),
        /** The record goes to the dead-letter topic by reference ({@code event-time-in-future}, {@code event-time-too-old}). */
        DEAD_LETTER("dead-letter");

        private final String configName;

        Implausible(String configName) {
            this.configName = configName;
        }

        /** The spelling in configuration. */
        public String configName() {
            return configName;
        }

        /** Parses a configuration spelling, or null if it is not one. */
        static Implausible fromConfig(String text) {
            for (Implausible i : values()) {
                if (i.configName.equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return i;
                }
            }
            return null;
        }
    }
}
