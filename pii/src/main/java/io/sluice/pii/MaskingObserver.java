package io.sluice.pii;

/** Told about every column decision, for metrics and summaries. Receives coordinates, never values. */
@FunctionalInterface
public interface MaskingObserver {
    /** An observer that ignores everything. */
    MaskingObserver NONE = (ref, action, byRule) -> { };

    /**
     * Called once per column of every masked row.
     *
     * @param ref    the column
     * @param action the action applied
     * @param byRule true if a rule selected the column, false if the unlisted-column mode decided
     */
    void onColumn(ColumnRef ref, MaskingAction action, boolean byRule);
}
