package io.sluice.dimensions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-key state of a dimension: the key's applied changes within retention, in source order,
 * and a baseline standing for the pruned ones (including the version they left open). Versions are not stored but folded from the
 * changes, because an out-of-order change can turn a change that opened no version (it touched
 * only untracked columns, or repeated the tracked values) into one that does. Immutable.
 */
public final class KeyHistory {
    private final Map<String, Object> naturalKey;
    private final HistoryBaseline baseline;
    private final List<DimensionChange> changes;
    private final long latestCommitMs;

    KeyHistory(
            Map<String, Object> naturalKey,
            HistoryBaseline baseline,
            List<DimensionChange> changes,
            long latestCommitMs) {
        this.naturalKey = Collections.unmodifiableMap(new LinkedHashMap<>(naturalKey));
        this.baseline = baseline;
        this.changes = List.copyOf(changes);
        this.latestCommitMs = latestCommitMs;
    }

    static KeyHistory start(Map<String, Object> naturalKey) {
        return new KeyHistory(naturalKey, HistoryBaseline.EMPTY, List.of(), Long.MIN_VALUE);
    }

    /** The natural key this history belongs to. */
    public Map<String, Object> naturalKey() {
        return naturalKey;
    }

    /** How many changes the state holds (those within retention). */
    public int retainedChangeCount() {
        return changes.size();
    }

    /** How many of the key's versions were pruned from state (they remain in the history topic). */
    public int prunedVersionCount() {
        return baseline.versionsPruned();
    }

    /** The latest source commit time seen for this key, which retention is measured back from. */
    public long latestCommitMs() {
        return latestCommitMs;
    }

    HistoryBaseline baseline() {
        return baseline;
    }

    List<DimensionChange> changes() {
        return changes;
    }

    /** Where a sequence goes in the retained changes: its index if present, else {@code -(insertion point) - 1}. */
    int search(DimensionSequence sequence) {
        int low = 0;
        int high = changes.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int order = changes.get(mid).sequence().compareTo(sequence);
            if (order < 0) {
                low = mid + 1;
            } else if (order > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    KeyHistory inserting(DimensionChange change, int at) {
        List<DimensionChange> inserted = new ArrayList<>(changes.size() + 1);
        inserted.addAll(changes.subList(0, at));
        inserted.add(change);
        inserted.addAll(changes.subList(at, changes.size()));
        return new KeyHistory(naturalKey, baseline, inserted, Math.max(latestCommitMs, change.commitTimeMs()));
    }

    KeyHistory pruned(int prunedChanges, HistoryBaseline newBaseline) {
        return new KeyHistory(naturalKey, newBaseline, changes.subList(prunedChanges, changes.size()), latestCommitMs);
    }

    @Override
    public String toString() {
        return "KeyHistory{keyColumns=" + naturalKey.keySet() + ", changes=" + changes.size() + ", prunedVersions="
                + baseline.versionsPruned() + "}";
    }
}
