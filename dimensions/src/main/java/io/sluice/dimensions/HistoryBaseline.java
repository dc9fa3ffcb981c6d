package io.sluice.dimensions;

import java.util.Map;

/**
 * The end state of folding a key's pruned changes, so that folding the retained changes from here
 * gives exactly the versions that folding everything would.
 *
 * @param versionsOpened  how many versions the pruned changes opened (including {@code open})
 * @param open            the version still open after the last pruned change, or null
 * @param live            whether the key existed after the last pruned change
 * @param lastRow         the last known row after the last pruned change, null when not live
 * @param lastEffectiveMs the (clamped) time of the last pruned change, or null when none was pruned
 * @param horizon         the sequence of the last pruned change, or null when none was pruned
 */
record HistoryBaseline(
        int versionsOpened,
        DimensionVersion open,
        boolean live,
        Map<String, Object> lastRow,
        Long lastEffectiveMs,
        DimensionSequence horizon) {

    static final HistoryBaseline EMPTY = new HistoryBaseline(0, null, false, null, null, null);

    /** Versions no longer in state at all (the open one still is). */
    int versionsPruned() {
        return versionsOpened - (open == null ? 0 : 1);
    }
}
