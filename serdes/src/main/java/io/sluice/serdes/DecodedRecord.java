package io.sluice.serdes;

import io.sluice.schemas.SourcePosition;
import java.util.Map;

/**
 * One decoded source record, before masking: still holds raw values, so it must never be logged,
 * stored or sent anywhere except to the masking step.
 *
 * @param table       the table (CDC) or event family (MMP) the row belongs to
 * @param op          Debezium operation code (c, u, d, r), or null for MMP events
 * @param eventTimeMs event time: source commit time for CDC, event_time for MMP
 * @param deleted     true if the row is the last state of a deleted row
 * @param key         key columns, or null when the record has no structured key
 * @param row         column name to value (String, Long, Double, BigDecimal, Boolean, nested JSON as text, or null)
 * @param position    the change's place in the source database's log, or null (MMP events)
 */
public record DecodedRecord(
        String table,
        String op,
        long eventTimeMs,
        boolean deleted,
        Map<String, Object> key,
        Map<String, Object> row,
        SourcePosition position)
        implements DecodeOutcome {

    @Override
    public String toString() {
        // Rows hold raw PII until masked: show shape only.
        return "DecodedRecord{table=" + table + ", op=" + op + ", eventTimeMs=" + eventTimeMs + ", columns="
                + row.keySet() + "}";
    }
}
