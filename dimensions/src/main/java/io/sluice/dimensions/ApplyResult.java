package io.sluice.dimensions;

import java.util.List;
import java.util.Map;

/**
 * The result of applying one change to a key's history.
 *
 * @param outcome        what happened to the change
 * @param state          the key's state to save (the input state, unchanged, unless {@code outcome} is APPLIED)
 * @param emissions      history records to publish, in order: retractions, then upserts by version number
 * @param currentRow     the key's row for the {@code current} topic, or null when the key is deleted (or unknown)
 * @param currentChanged whether {@code currentRow} differs from before this change
 * @param counts         counters for metrics
 */
public record ApplyResult(
        ApplyOutcome outcome,
        KeyHistory state,
        List<Emission> emissions,
        Map<String, Object> currentRow,
        boolean currentChanged,
        ChangeCounts counts) {

    /** Copies the emissions. */
    public ApplyResult {
        emissions = List.copyOf(emissions);
    }

    /** Whether the state changed and must be written back. */
    public boolean stateChanged() {
        return outcome == ApplyOutcome.APPLIED;
    }
}
