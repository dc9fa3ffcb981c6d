package io.sluice.dimensions;

import java.util.List;

/**
 * Prunes a key's state to the configured retention, measured back from the latest commit time seen
 * for the key (not the wall clock, so replays prune alike): changes older than the cutoff leave the
 * state and are summed up in its baseline, which keeps the version they left open. So versions whose
 * {@code valid_to} is before the cutoff leave the state (they stay in the history topic), a key
 * that only ever changes untracked columns keeps no more than a retention's worth of changes, and
 * the key's latest change always stays (its time is the latest).
 */
final class HistoryRetention {
    private final long retentionMs;
    private final VersionFold fold;

    HistoryRetention(DimensionSpec spec, VersionFold fold) {
        this.retentionMs = millisSaturated(spec);
        this.fold = fold;
    }

    KeyHistory prune(KeyHistory state) {
        List<DimensionChange> changes = state.changes();
        long cutoff = cutoff(state.latestCommitMs());
        Long at = state.baseline().lastEffectiveMs();
        int cut = 0;
        // Clamped times never decrease in source order, so the changes to prune are a prefix.
        for (DimensionChange change : changes) {
            at = at == null ? change.commitTimeMs() : Math.max(at, change.commitTimeMs());
            if (at >= cutoff) {
                break;
            }
            cut++;
        }
        if (cut == 0) {
            return state;
        }
        VersionFold.Result prefix = fold.fold(state.baseline(), changes.subList(0, cut));
        return state.pruned(cut, prefix.asBaseline(changes.get(cut - 1).sequence()));
    }

    private long cutoff(long latestCommitMs) {
        long cutoff = latestCommitMs - retentionMs;
        return cutoff > latestCommitMs ? Long.MIN_VALUE : cutoff;
    }

    private static long millisSaturated(DimensionSpec spec) {
        try {
            return spec.retention().toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
