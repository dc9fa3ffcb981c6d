package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import java.util.Comparator;

/**
 * The order an hour's rows are written in: event time, then Kafka partition and offset. Row groups
 * then cover narrow event-time ranges (engines skip them by their statistics), a re-run writes the
 * same order, and a record written twice (same coordinates, so same event time) lands next to itself.
 */
final class RowOrder {
    private final int time;
    private final int partition;
    private final int offset;

    /** The order over rows numbered by {@code columns}, whose event-time and coordinate columns are numbered already. */
    RowOrder(LakeColumns columns) {
        this.time = columns.find(CuratedFields.EVENT_TIME);
        this.partition = columns.find(CuratedFields.KAFKA_PARTITION);
        this.offset = columns.find(CuratedFields.KAFKA_OFFSET);
    }

    /** The row with its sort key taken out once, rather than per comparison. */
    Keyed key(Object[] row) {
        Object p = LakeColumns.value(row, partition);
        Object o = LakeColumns.value(row, offset);
        return new Keyed(
                number(LakeColumns.value(row, time)),
                number(p),
                number(o),
                p instanceof Number && o instanceof Number,
                row);
    }

    /** The event time a row sorts by: epoch millis, or the lowest long when the row has none. */
    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.MIN_VALUE;
    }

    /**
     * A row and its sort key.
     *
     * @param identified whether the row carries both coordinates; rows without them are never taken for one another
     */
    record Keyed(long eventTime, long partition, long offset, boolean identified, Object[] row) {
        static final Comparator<Keyed> ORDER = Comparator.comparingLong(Keyed::eventTime)
                .thenComparingLong(Keyed::partition)
                .thenComparingLong(Keyed::offset);

        /** Whether this is the same record as {@code other}: both carry the same coordinates. */
        boolean sameRecordAs(Keyed other) {
            return identified
                    && other != null
                    && other.identified
                    && partition == other.partition
                    && offset == other.offset;
        }
    }
}
