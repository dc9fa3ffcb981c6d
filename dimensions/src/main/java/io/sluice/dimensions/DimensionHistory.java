package io.sluice.dimensions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * SCD Type 2 history of one dimension table, one key at a time: applies a change to a key's state
 * and says which history rows to publish. Free of Kafka; the processor loads the key's
 * {@link KeyHistory} from its store, calls {@link #apply}, publishes the emissions and the current
 * row, and saves the new state. Stateless and thread-safe.
 *
 * <p>Every apply re-folds the key's retained changes before and after the change and publishes the
 * difference. That is what makes out-of-order arrival safe: a late change lands at its sequence,
 * the interval it falls into is split, later versions that no longer differ from their predecessor
 * are retracted, renumbered versions are re-emitted, and the result equals in-order processing.
 */
public final class DimensionHistory {
    private final DimensionSpec spec;
    private final VersionFold fold;
    private final HistoryRows rows;
    private final HistoryRetention retention;
    private final Set<String> historyColumns;

    /** History for the table the spec describes. */
    public DimensionHistory(DimensionSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.fold = new VersionFold(spec);
        this.rows = new HistoryRows(spec);
        this.retention = new HistoryRetention(spec, fold);
        this.historyColumns = Set.copyOf(spec.naming().all());
    }

    public DimensionSpec spec() {
        return spec;
    }

    /**
     * Applies one change.
     *
     * @param state  the key's state, or null for a key not seen before
     * @param change the change; its natural key must be the state's
     * @throws IllegalArgumentException if the change lacks a key column, belongs to another key, or
     *                                  has a column named like a history column (the message names
     *                                  columns, never values)
     */
    public ApplyResult apply(KeyHistory state, DimensionChange change) {
        Map<String, Object> key = checkedKey(change);
        KeyHistory before = state != null ? state : KeyHistory.start(key);
        checkSameKey(before, key);
        VersionFold.Result old = fold.fold(before.baseline(), before.changes());
        Map<String, Object> oldCurrent = currentRow(key, old);
        if (!change.op().upserts() && spec.deletes() == DeletesMode.IGNORE) {
            return unchanged(ApplyOutcome.DELETE_IGNORED, before, oldCurrent, ChangeCounts.DELETE_IGNORED);
        }
        int found = before.search(change.sequence());
        if (found >= 0) {
            return unchanged(ApplyOutcome.DUPLICATE, before, oldCurrent, ChangeCounts.DUPLICATE);
        }
        int at = -found - 1;
        if (isTooOld(before, change)) {
            return unchanged(ApplyOutcome.TOO_OLD, before, oldCurrent, ChangeCounts.TOO_OLD);
        }
        KeyHistory after = before.inserting(change, at);
        VersionFold.Result now = fold.fold(after.baseline(), after.changes());
        Map<String, Object> newCurrent = currentRow(key, now);
        List<Emission> emissions = new ArrayList<>();
        ChangeCounts counts = diff(
                key,
                old.versions(),
                now.versions(),
                emissions,
                at < before.changes().size(),
                change.op().upserts() ? 0 : 1);
        return new ApplyResult(
                ApplyOutcome.APPLIED,
                retention.prune(after),
                emissions,
                newCurrent,
                !Objects.equals(oldCurrent, newCurrent),
                counts);
    }

    /** The versions of the key still in state, oldest first. */
    public List<DimensionVersion> versions(KeyHistory state) {
        return fold.fold(state.baseline(), state.changes()).versions();
    }

    /** The history rows of the key's versions still in state, oldest first: what the history topic holds for them. */
    public List<Map<String, Object>> versionRows(KeyHistory state) {
        return versions(state).stream()
                .map(v -> rows.version(state.naturalKey(), v))
                .toList();
    }

    /**
     * The version valid at an instant ({@code validFrom <= t < validTo}, so a boundary instant belongs
     * to the newer version): empty before the first retained version, while the key was deleted
     * (after an invalidating delete, or in a deleted version), and for instants whose versions
     * were pruned from state.
     */
    public Optional<DimensionVersion> asOf(KeyHistory state, long instantMs) {
        return versions(state).stream()
                .filter(v -> v.covers(instantMs) && !v.deleted())
                .findFirst();
    }

    /** The history row of the version valid at an instant, as {@link #asOf} finds it. */
    public Optional<Map<String, Object>> asOfRow(KeyHistory state, long instantMs) {
        return asOf(state, instantMs).map(v -> rows.version(state.naturalKey(), v));
    }

    private Map<String, Object> checkedKey(DimensionChange change) {
        Map<String, Object> key = change.naturalKey();
        for (String column : spec.keyColumns()) {
            if (!key.containsKey(column)) {
                throw new IllegalArgumentException(
                        "dimension '" + spec.table() + "': change has no value for key column '" + column + "'");
            }
        }
        if (key.size() != spec.keyColumns().size()) {
            throw new IllegalArgumentException("dimension '" + spec.table() + "': change key has columns "
                    + key.keySet() + " but the natural key is " + spec.keyColumns());
        }
        for (String column : change.row().keySet()) {
            if (historyColumns.contains(column)) {
                throw new IllegalArgumentException("dimension '" + spec.table() + "': source column '" + column
                        + "' collides with a history column of " + spec.naming().configName()
                        + " naming; rename it or choose the other naming");
            }
        }
        return key;
    }

    private void checkSameKey(KeyHistory state, Map<String, Object> key) {
        for (String column : spec.keyColumns()) {
            if (!Objects.equals(
                    CanonicalValue.of(state.naturalKey().get(column)), CanonicalValue.of(key.get(column)))) {
                throw new IllegalArgumentException(
                        "dimension '" + spec.table() + "': change for another natural key than the state's");
            }
        }
    }

    /** A change at or before the last pruned change: its place in history left the state. */
    private static boolean isTooOld(KeyHistory state, DimensionChange change) {
        DimensionSequence horizon = state.baseline().horizon();
        return horizon != null && change.sequence().compareTo(horizon) <= 0;
    }

    /** Rows carry the key as the change gives it, so its value types are the input's, not the codec's. */
    private Map<String, Object> currentRow(Map<String, Object> key, VersionFold.Result folded) {
        return folded.live() ? rows.current(key, folded.open(), folded.latest()) : null;
    }

    private static ApplyResult unchanged(
            ApplyOutcome outcome, KeyHistory state, Map<String, Object> current, ChangeCounts counts) {
        return new ApplyResult(outcome, state, List.of(), current, false, counts);
    }

    /** Adds the emissions that turn the old versions into the new ones, and counts what changed. */
    private ChangeCounts diff(
            Map<String, Object> key,
            List<DimensionVersion> old,
            List<DimensionVersion> now,
            List<Emission> emissions,
            boolean outOfOrder,
            int deletes) {
        Map<DimensionSequence, DimensionVersion> oldByOpener = new HashMap<>();
        old.forEach(v -> oldByOpener.put(v.sequence(), v));
        Set<DimensionSequence> nowOpeners = new HashSet<>();
        now.forEach(v -> nowOpeners.add(v.sequence()));
        int retracted = 0;
        for (DimensionVersion version : old) {
            if (!nowOpeners.contains(version.sequence())) {
                emissions.add(new Emission(rows.scdId(key, version), null, version.validFromMs()));
                retracted++;
            }
        }
        int opened = 0;
        int closed = 0;
        for (DimensionVersion version : now) {
            DimensionVersion was = oldByOpener.get(version.sequence());
            if (version.equals(was)) {
                continue;
            }
            opened += was == null ? 1 : 0;
            closed += !version.isCurrent() && (was == null || was.isCurrent()) ? 1 : 0;
            emissions.add(new Emission(rows.scdId(key, version), rows.version(key, version), version.validFromMs()));
        }
        return new ChangeCounts(opened, closed, retracted, outOfOrder ? 1 : 0, 0, deletes, 0);
    }
}
