package io.sluice.topology;

import io.sluice.config.EventTimeBounds;
import java.util.Objects;

/**
 * Judges a decoded record's event time against its arrival time (the input record's timestamp:
 * the producer's or the broker's clock) and this process's clock, before the time can reach stream
 * time, a state store, a partition path or a broker write. Kafka-free and deterministic given the
 * three times.
 */
final class EventTimeGuard {
    /** The reason of a dead-letter entry for a time too far ahead. */
    static final String IN_FUTURE = "event-time-in-future";
    /** The reason of a dead-letter entry for a time before the earliest plausible one. */
    static final String TOO_OLD = "event-time-too-old";

    private final EventTimeBounds bounds;

    EventTimeGuard(EventTimeBounds bounds) {
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    /**
     * The verdict on one record.
     *
     * @param eventTime the event time the source sent
     * @param arrival   the input record's timestamp
     * @param now       this process's clock, which bounds an arrival time from a producer whose own clock is wrong
     */
    Verdict judge(long eventTime, long arrival, long now) {
        long notBefore = bounds.notBefore().toEpochMilli();
        long ceiling = saturatedAdd(Math.min(arrival, now), bounds.maxAhead().toMillis());
        String problem;
        if (eventTime < notBefore) {
            problem = TOO_OLD;
        } else if (eventTime > ceiling) {
            problem = IN_FUTURE;
        } else {
            return new Verdict(eventTime, null, null);
        }
        boolean arrivalPlausible = arrival >= notBefore
                && arrival <= saturatedAdd(now, bounds.maxAhead().toMillis());
        if (bounds.implausible() == EventTimeBounds.Implausible.USE_ARRIVAL && arrivalPlausible) {
            return new Verdict(arrival, eventTime, problem);
        }
        return new Verdict(eventTime, null, problem);
    }

    /** What to explain in a dead-letter entry for a problem (no value from the record). */
    String explain(String problem) {
        return problem.equals(IN_FUTURE)
                ? "event time is more than " + bounds.maxAhead()
                        + " ahead of the record's arrival (a device or database clock is wrong)"
                : "event time is before " + bounds.notBefore()
                        + " (sources.eventTimeBounds.notBefore), and so is not plausible";
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * @param eventTime the event time to curate with
     * @param original  the source's event time when it was replaced by the arrival time, else null
     * @param problem   {@link #IN_FUTURE} or {@link #TOO_OLD} when the source's time was implausible, else null
     */
    record Verdict(long eventTime, Long original, String problem) {
        /** Whether the record is to be dead-lettered: implausible and not re-timed. */
        boolean rejected() {
            return problem != null && original == null;
        }
    }
}
