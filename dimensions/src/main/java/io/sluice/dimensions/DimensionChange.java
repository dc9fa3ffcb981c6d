package io.sluice.dimensions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One masked source change to a dimension table, as the processor hands it over.
 *
 * @param op           the Debezium operation
 * @param sequence     the change's place in the source log
 * @param commitTimeMs the source commit time, epoch milliseconds
 * @param row          the masked row: the after image, or for a delete the before image (which under
 *                     PostgreSQL's REPLICA IDENTITY DEFAULT holds only the key truthfully)
 * @param naturalKey   the natural key column values
 */
public record DimensionChange(
        ChangeOp op,
        DimensionSequence sequence,
        long commitTimeMs,
        Map<String, Object> row,
        Map<String, Object> naturalKey) {

    /** Copies the maps (keeping column order and null values). */
    public DimensionChange {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(sequence, "sequence");
        row = frozenCopy(row == null ? Map.of() : row);
        naturalKey = frozenCopy(Objects.requireNonNull(naturalKey, "naturalKey"));
    }

    private static Map<String, Object> frozenCopy(Map<String, Object> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    @Override
    public String toString() {
        // Masked values may still be pseudonyms of people: show the shape only.
        return "DimensionChange{op=" + op.code() + ", sequence=" + sequence + ", commitTimeMs=" + commitTimeMs
                + ", columns=" + row.keySet() + "}";
    }
}
