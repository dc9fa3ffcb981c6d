package io.sluice.pii;

/** Told about every masking decision, for metrics and summaries. Receives coordinates, never values. */
@FunctionalInterface
public interface MaskingObserver {
    /** An observer that ignores everything. */
    MaskingObserver NONE = (ref, action, byRule) -> {};

    /**
     * Called once per field of every masked row (nested JSON fields included, with a dotted column).
     *
     * @param ref    the field
     * @param action the action applied
     * @param byRule true if a rule selected the field, false if the unlisted-field mode decided
     */
    void onColumn(ColumnRef ref, MaskingAction action, boolean byRule);

    /** A detector found personal data in a value that survived the rules. */
    default void onDetection(ColumnRef ref, Detector detector) {}

    /** A rule could not be applied, so the field was dropped. */
    default void onFailure(ColumnRef ref, String reason) {}
}
