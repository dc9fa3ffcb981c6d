package io.sluice.dimensions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Folds a key's changes, in source order, into its versions. The fold is the single definition of
 * the history: in-order, out-of-order and replayed arrivals all end in the same versions because
 * they end in the same ordered changes.
 *
 * <p>Times: a version's validity starts at its opening change's commit time, but never before the
 * previous change's, so that versions never overlap even if the source clock stepped back.
 */
final class VersionFold {
    /** The opener index of a version opened by a pruned change. */
    static final int PRUNED_OPENER = -1;

    private final DimensionSpec spec;

    VersionFold(DimensionSpec spec) {
        this.spec = spec;
    }

    /**
     * The versions in order (starting with the baseline's open version, if any), the index of each
     * version's opening change, and the end state.
     */
    record Result(
            List<DimensionVersion> versions,
            List<Integer> openers,
            int versionsOpened,
            boolean live,
            Map<String, Object> lastRow,
            Long lastEffectiveMs,
            DimensionChange latest) {

        /** The last version if it is still open, else null. */
        DimensionVersion open() {
            DimensionVersion last = versions.isEmpty() ? null : versions.get(versions.size() - 1);
            return last != null && last.isCurrent() ? last : null;
        }

        /** This end state as the baseline of the changes after it. */
        HistoryBaseline asBaseline(DimensionSequence horizon) {
            return new HistoryBaseline(versionsOpened, open(), live, lastRow, lastEffectiveMs, horizon);
        }
    }

    Result fold(HistoryBaseline baseline, List<DimensionChange> changes) {
        List<DimensionVersion> versions = new ArrayList<>();
        List<Integer> openers = new ArrayList<>();
        int opened = baseline.versionsOpened();
        boolean live = baseline.live();
        Map<String, Object> lastRow = baseline.lastRow();
        Long lastTime = baseline.lastEffectiveMs();
        DimensionVersion open = baseline.open();
        if (open != null) {
            openers.add(PRUNED_OPENER);
        }
        TrackedValues openTracked = open == null || open.deleted() ? null : TrackedValues.of(spec, open.attributes());
        DimensionChange latest = null;
        for (int i = 0; i < changes.size(); i++) {
            DimensionChange change = changes.get(i);
            long at = lastTime == null ? change.commitTimeMs() : Math.max(lastTime, change.commitTimeMs());
            if (change.op().upserts()) {
                TrackedValues tracked = TrackedValues.of(spec, change.row());
                if (open == null || open.deleted() || !live || !tracked.equals(openTracked)) {
                    close(versions, open, at);
                    open = version(++opened, change, at, change.row(), false);
                    openers.add(i);
                    openTracked = tracked;
                }
                live = true;
                lastRow = change.row();
            } else if (live) {
                close(versions, open, at);
                open = null;
                if (spec.deletes() == DeletesMode.NEW_RECORD) {
                    // The before image may be placeholders but for the key: keep the last known values.
                    open = version(++opened, change, at, lastRow != null ? lastRow : change.row(), true);
                    openers.add(i);
                }
                live = false;
                lastRow = null;
            }
            // A delete of a key that does not exist (never seen, or already deleted) changes nothing.
            lastTime = at;
            latest = change;
        }
        if (open != null) {
            versions.add(open);
        }
        return new Result(versions, openers, opened, live, lastRow, lastTime, latest);
    }

    private static DimensionVersion version(
            int number, DimensionChange change, long at, Map<String, Object> attributes, boolean deleted) {
        return new DimensionVersion(
                number, at, null, deleted, attributes, change.sequence(), change.op(), change.commitTimeMs());
    }

    private static void close(List<DimensionVersion> versions, DimensionVersion open, long at) {
        if (open != null) {
            versions.add(new DimensionVersion(
                    open.number(),
                    open.validFromMs(),
                    at,
                    open.deleted(),
                    open.attributes(),
                    open.sequence(),
                    open.op(),
                    open.updatedAtMs()));
        }
    }
}
