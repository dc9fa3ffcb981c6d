package io.sluice.dimensions;

/** What applying one change did to a key's history. */
public enum ApplyOutcome {
    /** The change was placed in source order (appended, or inserted if it arrived out of order). */
    APPLIED,
    /** A change with the same source sequence is already in state (a redelivery, e.g. after a connector restart). */
    DUPLICATE,
    /**
     * The change is at or before the last change pruned from state (roughly: more than the
     * retention older than the key's latest change), so the history around it is no longer in
     * state and it cannot be placed. Not applied; counted. A redelivery of a pruned change gets
     * this too, since it cannot be told from a new one.
     */
    TOO_OLD,
    /** A delete under {@link DeletesMode#IGNORE}: dropped. */
    DELETE_IGNORED
}
