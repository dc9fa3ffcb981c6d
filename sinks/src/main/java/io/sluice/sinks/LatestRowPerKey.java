package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which rows a table-hour kept as upserts ends up with: per key, the row written last (highest
 * {@code (partition, offset)}) among those the hour holds, the pass's fresh rows and the tombstones
 * applied before; none when that last one is a tombstone. Rows without a key are kept as they come.
 * Held rows are known by identity and file only: a pass reads the rows of the files it rewrites, not
 * of the whole hour.
 */
final class LatestRowPerKey {
    private static final Comparator<RowId> WRITE_ORDER =
            Comparator.nullsFirst(Comparator.comparingLong(RowId::partition).thenComparingLong(RowId::offset));

    /** A candidate for a key's row: held in a file, fresh (a row, or a tombstone's), or a tombstone applied before. */
    private record Candidate(RowId id, Object[] row, int file, boolean tombstone) {
        boolean held() {
            return file >= 0;
        }
    }

    private record Held(RowId id, int file) {}

    private final int keyColumn;
    private final int partitionColumn;
    private final int offsetColumn;
    private final int tombstoneColumn;
    private final Map<String, Candidate> latest = new HashMap<>();
    private final Map<String, List<Held>> held = new HashMap<>();
    private final Map<Object[], String> keyOfFresh = new IdentityHashMap<>();

    /** Resolves rows numbered by {@code columns}, keyed by the column {@code keyColumn} (its name in tier 0). */
    LatestRowPerKey(LakeColumns columns, String keyColumn) {
        this.keyColumn = columns.numberOfAvroNameOrNew(LakeSchema.avroName(keyColumn));
        this.partitionColumn = columns.find(CuratedFields.KAFKA_PARTITION);
        this.offsetColumn = columns.find(CuratedFields.KAFKA_OFFSET);
        this.tombstoneColumn = columns.find(UpsertKeys.RETRACTED);
    }

    /** A row the hour holds in file number {@code file}. */
    void offerHeld(String key, RowId id, int file) {
        held.computeIfAbsent(key, k -> new ArrayList<>(1)).add(new Held(id, file));
        offer(key, new Candidate(id, null, file, false));
    }

    /** A tombstone an earlier pass applied (the hour's marker keeps them). */
    void offerApplied(String key, RowId id) {
        offer(key, new Candidate(id, null, -1, true));
    }

    /** A row of the pass (a tombstone's when it carries the tier-0 mark). */
    void offerFresh(Object[] row) {
        Object key = LakeColumns.value(row, keyColumn);
        if (key == null) {
            return;
        }
        String k = key.toString();
        keyOfFresh.put(row, k);
        offer(
                k,
                new Candidate(
                        RowId.of(row, partitionColumn, offsetColumn),
                        row,
                        -1,
                        Boolean.TRUE.equals(LakeColumns.value(row, tombstoneColumn))));
    }

    private void offer(String key, Candidate candidate) {
        latest.merge(
                key,
                candidate,
                (known, other) ->
                        // on a tie (the same record) the held one stays, so the hour is not rewritten for it
                        WRITE_ORDER.compare(other.id(), known.id()) > 0 ? other : known);
    }

    /** Whether a held row stays: it is its key's last. */
    boolean keepsHeld(String key, RowId id) {
        Candidate last = latest.get(key);
        return last != null && last.held() && id.equals(last.id());
    }

    /** Whether a row read from a held file stays (rows without a key always do). */
    boolean keepsHeldRow(Object[] row) {
        Object key = LakeColumns.value(row, keyColumn);
        RowId id = RowId.of(row, partitionColumn, offsetColumn);
        return key == null || id == null || keepsHeld(key.toString(), id);
    }

    /** The files holding a row that goes: replaced by a later row, removed by a tombstone, or written twice. */
    Set<Integer> filesToRewrite() {
        Set<Integer> files = new HashSet<>();
        held.forEach((key, rows) ->
                rows.stream().filter(h -> !keepsHeld(key, h.id())).forEach(h -> files.add(h.file())));
        return files;
    }

    /**
     * The fresh rows that go into held file {@code file}: each replaces its key's row there (the key's latest held
     * row, so a reader sees the key's old row or its new one, never both nor neither).
     */
    List<Object[]> replacementsIn(int file) {
        List<Object[]> rows = new ArrayList<>();
        latest.forEach((key, last) -> {
            if (!last.held() && !last.tombstone() && last.row() != null && homeFile(key) == file) {
                rows.add(last.row());
            }
        });
        return rows;
    }

    /** The fresh rows, in the order given, that add to the hour: rows of keys it does not hold, and rows without a key. */
    List<Object[]> added(List<Object[]> fresh) {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : fresh) {
            String key = keyOfFresh.get(row);
            if (key == null) {
                if (!Boolean.TRUE.equals(LakeColumns.value(row, tombstoneColumn))) {
                    rows.add(row);
                }
                continue;
            }
            Candidate last = latest.get(key);
            if (last.row() == row && !last.tombstone() && !held.containsKey(key)) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** The keys whose last write is a tombstone, with its identity: the hour's marker keeps them for later passes. */
    Map<String, RowId> tombstones() {
        Map<String, RowId> applied = new java.util.TreeMap<>();
        latest.forEach((key, last) -> {
            if (last.tombstone()) {
                applied.put(key, last.id());
            }
        });
        return applied;
    }

    /** The file of a key's latest held row, or -1 when the hour holds none. */
    private int homeFile(String key) {
        List<Held> rows = held.get(key);
        if (rows == null) {
            return -1;
        }
        Held home = rows.get(0);
        for (Held h : rows) {
            if (WRITE_ORDER.compare(h.id(), home.id()) > 0) {
                home = h;
            }
        }
        return home.file();
    }
}
