package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import org.apache.avro.generic.GenericRecord;

/**
 * A lake row's identity: its curated-topic coordinates. Two rows with the same identity are the
 * same record written twice (a retried tier-0 batch, or an object compacted before a crash).
 *
 * @param partition {@code __kafka_partition}
 * @param offset    {@code __kafka_offset}
 */
record RowId(long partition, long offset) {

    /** The identity of a tier-0 row, or null when it carries no coordinates (such rows are never merged). */
    static RowId of(Object[] row, int partitionColumn, int offsetColumn) {
        return of(LakeColumns.value(row, partitionColumn), LakeColumns.value(row, offsetColumn));
    }

    /** The identity of a row numbered by {@code columns}, or null when it carries no coordinates. */
    static RowId of(Object[] row, LakeColumns columns) {
        return of(row, columns.find(CuratedFields.KAFKA_PARTITION), columns.find(CuratedFields.KAFKA_OFFSET));
    }

    /** The identity of a compacted row, or null when it carries no coordinates. */
    static RowId of(GenericRecord record) {
        return record.hasField(CuratedFields.KAFKA_PARTITION) && record.hasField(CuratedFields.KAFKA_OFFSET)
                ? of(record.get(CuratedFields.KAFKA_PARTITION), record.get(CuratedFields.KAFKA_OFFSET))
                : null;
    }

    private static RowId of(Object partition, Object offset) {
        return partition instanceof Number p && offset instanceof Number o
                ? new RowId(p.longValue(), o.longValue())
                : null;
    }
}
