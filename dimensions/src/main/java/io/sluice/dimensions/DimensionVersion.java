package io.sluice.dimensions;

import java.util.Map;

/**
 * One version of a key's history: the attribute values valid from one source change until the next
 * change of a tracked column (or a delete).
 *
 * @param number      1-based position in the key's history
 * @param validFromMs when the version became valid (commit time of the change that opened it)
 * @param validToMs   when it stopped being valid, or null while it is open
 * @param deleted     true for the deleted version a {@link DeletesMode#NEW_RECORD} delete opens
 * @param attributes  the masked row of the change that opened it (for a deleted version: the last known row)
 * @param sequence    the source sequence of the change that opened it
 * @param op          the operation of the change that opened it
 * @param updatedAtMs the commit time of the change that produced these values (not clamped)
 */
public record DimensionVersion(
        int number,
        long validFromMs,
        Long validToMs,
        boolean deleted,
        Map<String, Object> attributes,
        DimensionSequence sequence,
        ChangeOp op,
        long updatedAtMs) {

    /** Whether no later change has closed this version. */
    public boolean isCurrent() {
        return validToMs == null;
    }

    /** Whether this version was valid at the instant: {@code validFrom <= t < validTo}. */
    public boolean covers(long instantMs) {
        return validFromMs <= instantMs && (validToMs == null || instantMs < validToMs);
    }

    @Override
    public String toString() {
        return "DimensionVersion{number=" + number + ", validFromMs=" + validFromMs + ", validToMs=" + validToMs
                + ", deleted=" + deleted + ", sequence=" + sequence + ", op=" + op.code() + ", columns="
                + attributes.keySet() + "}";
    }
}
