package io.sluice.dimensions;

import java.util.Map;

/**
 * One record for the history topic, keyed by {@code scd_id}: a version's row (new or changed), or a
 * retraction (null row) of a version an out-of-order change merged away — a tombstone on a
 * compacted topic.
 *
 * @param scdId       the version's id
 * @param row         the version's row, or null for a retraction
 * @param validFromMs the version's {@code valid_from}, which a retraction carries too: it names the lake hour (the
 *                    version's rows are all in its {@code valid_from} hour) the retracted row is removed from
 */
public record Emission(String scdId, Map<String, Object> row, long validFromMs) {

    /** Whether this retracts the version. */
    public boolean isRetraction() {
        return row == null;
    }

    @Override
    public String toString() {
        return isRetraction()
                ? "Emission{retract " + scdId + "}"
                : "Emission{upsert " + scdId + ", columns=" + row.keySet() + "}";
    }
}
