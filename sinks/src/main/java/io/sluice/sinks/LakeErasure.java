package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a data subject's rows from every table of a lake: each row one of the given columns of which holds one of
 * the subject's pseudonyms (or, a JSON text column, contains it) goes. Hive layout: each Parquet file holding such a
 * row is rewritten without it and replaced in one rename per file (the hour's {@code _SUCCESS} comes back last, with
 * the new row count). Iceberg: each such data file is rewritten and swapped in one commit per table, then every older
 * snapshot expires with the files only it referenced, so the subject's bytes are gone, not merely unreferenced. Holds
 * the lake's compaction lease throughout: no compaction pass rewrites a file meanwhile.
 */
public final class LakeErasure {
    private static final Logger LOG = LoggerFactory.getLogger(LakeErasure.class);

    /**
     * Who is erased.
     *
     * @param pseudonyms the subject's pseudonyms, under every key of the keyring
     * @param columns    the columns (lake names) that may hold them
     */
    public record Subject(Set<String> pseudonyms, Set<String> columns) {
        /** The shortest value looked for inside JSON text: a pseudonym's key id and a digest are 40 characters or more. */
        static final int MIN_CONTAINED = 16;

        public Subject {
            pseudonyms = Set.copyOf(pseudonyms);
            columns = Set.copyOf(columns);
            if (pseudonyms.isEmpty() || columns.isEmpty()) {
                throw new IllegalArgumentException("an erasure needs at least one pseudonym and one column");
            }
        }

        /** Whether a value of one of the columns carries the subject. */
        boolean carriedBy(Object value) {
            if (value == null) {
                return false;
            }
            String text = value.toString();
            for (String pseudonym : pseudonyms) {
                // a nested value is JSON text in the lake, with the pseudonym inside it; only a pseudonym is long and
                // random enough to be found inside other text by chance never (a short value would match numbers)
                if (text.equals(pseudonym) || (pseudonym.length() >= MIN_CONTAINED && text.contains(pseudonym))) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * What an erasure found, and (unless a dry run) removed, per table.
     *
     * @param rowsByTable     rows carrying the subject, by lake table
     * @param filesByTable    files rewritten (or, dry, to rewrite), by lake table
     * @param removedRows     the rows removed from each table, as column maps (masked values), for the callers that
     *                        tombstone their keys in topics; never logged
     * @param tier0Rows       rows carrying the subject in tier-0 objects not compacted yet (a dry run counts them; an
     *                        erasure compacts every pending object first, so they are in the tables it erases from)
     */
    public record Report(
            Map<String, Long> rowsByTable,
            Map<String, Integer> filesByTable,
            Map<String, List<Map<String, Object>>> removedRows,
            long tier0Rows) {}

    private final LakeFileSystem lake;
    private final FileSystem fs;
    private final LakeLayout layout;
    private final CompactionSettings settings;
    private final Catalog catalog;
    private final Namespace namespace;

    /** An erasure over a lake in the Hive layout ({@code catalog} null) or of Iceberg tables in {@code catalog}'s namespace. */
    public LakeErasure(LakeFileSystem lake, CompactionSettings settings, Catalog catalog, String namespace) {
        this.lake = lake;
        this.fs = lake.fs();
        this.layout = lake.layout();
        this.settings = settings;
        this.catalog = catalog;
        this.namespace = namespace == null ? null : Namespace.of(namespace.split("\\."));
    }

    /** Finds, and unless {@code dryRun} removes, the subject's rows; holds the lake's compaction lease meanwhile. */
    public Report erase(Subject subject, boolean dryRun) {
        CompactionLease lease;
        try {
            lease = CompactionLease.acquire(fs, layout.compactionLease(), settings.leaseTtl(), Duration.ofMinutes(10));
        } catch (CompactionLease.LeaseHeldException e) {
            throw new IllegalStateException(
                    "a compaction pass holds the lake's lease (" + e.holder()
                            + ") and did not end within 10 minutes; run the erasure again",
                    e);
        }
        try (lease) {
            long tier0 = tier0Rows(subject);
            Report found = catalog == null ? eraseHive(subject, dryRun, lease) : eraseIceberg(subject, dryRun, lease);
            if (!dryRun) {
                forgetTombstones(subject);
            }
            return new Report(found.rowsByTable(), found.filesByTable(), found.removedRows(), tier0);
        } catch (IOException e) {
            throw new UncheckedIOException("erasure failed; run it again (a finished file stays finished)", e);
        }
    }

    private long tier0Rows(Subject subject) throws IOException {
        Tier0Inputs inputs = new Tier0Inputs(fs, layout);
        long rows = 0;
        for (List<Path> objects : inputs.pending().values()) {
            LakeColumns columns = new LakeColumns();
            for (HourRowMerge.Run run : inputs.runs(objects, columns, new LakeSchema.HeldTypes(), row -> false)) {
                for (Object[] row : run.rows()) {
                    rows += carries(subject, row, columns) ? 1 : 0;
                }
            }
        }
        return rows;
    }

    private Report eraseHive(Subject subject, boolean dryRun, CompactionLease lease) throws IOException {
        Map<String, Long> rowsByTable = new TreeMap<>();
        Map<String, Integer> filesByTable = new TreeMap<>();
        Map<String, List<Map<String, Object>>> removed = new TreeMap<>();
        FileStatus[] hours = fs.globStatus(new Path(layout.curatedRoot(), "*/year=*/month=*/day=*/hour=*"));
        HourlyCompactor compactor = new HourlyCompactor(lake, settings);
        for (FileStatus hourDir : hours == null ? new FileStatus[0] : hours) {
            Path live = hourDir.getPath();
            String table = LakeLayout.tableOfHour(live);
            EventHour hour = EventHour.parse(live.toString());
            CompactedHour compacted = CompactedHour.read(fs, lake.conf(), live, UpsertKeys.keyOf(fs, layout, table));
            LakeColumns columns = new LakeColumns();
            Map<String, List<Object[]>> keptByFile = new LinkedHashMap<>();
            long gone = 0;
            for (String file : compacted.files()) {
                List<Object[]> kept = new ArrayList<>();
                List<Object[]> carrying = new ArrayList<>();
                compacted.readRows(compacted.file(compacted.files().indexOf(file)), columns, row -> {
                    (carries(subject, row, columns) ? carrying : kept).add(row);
                });
                if (!carrying.isEmpty()) {
                    keptByFile.put(file, kept);
                    gone += carrying.size();
                    List<Map<String, Object>> asMaps = removed.computeIfAbsent(table, t -> new ArrayList<>());
                    carrying.forEach(row -> asMaps.add(asMap(row, columns)));
                }
            }
            if (keptByFile.isEmpty()) {
                continue;
            }
            rowsByTable.merge(table, gone, Long::sum);
            filesByTable.merge(table, keptByFile.size(), Integer::sum);
            if (!dryRun) {
                lease.ensureHeld();
                compactor.rewriteFiles(
                        table, hour, compacted, columns, keptByFile, compacted.rows() - gone, lease::ensureHeld);
                LOG.info(
                        "erased {} row(s) from {} hour {} ({} file(s) rewritten)",
                        gone,
                        table,
                        hour,
                        keptByFile.size());
            }
        }
        return new Report(rowsByTable, filesByTable, removed, 0);
    }

    private Report eraseIceberg(Subject subject, boolean dryRun, CompactionLease lease) throws IOException {
        Map<String, Long> rowsByTable = new TreeMap<>();
        Map<String, Integer> filesByTable = new TreeMap<>();
        Map<String, List<Map<String, Object>>> removed = new TreeMap<>();
        for (TableIdentifier id : catalog.listTables(namespace)) {
            Table table = catalog.loadTable(id);
            String name = id.name();
            LakeColumns columns = new LakeColumns();
            IcebergRows rows = new IcebergRows(name, table.schema(), columns);
            Map<DataFile, List<Object[]>> keptByFile = new LinkedHashMap<>();
            long gone = 0;
            List<DataFile> files = new ArrayList<>();
            if (table.currentSnapshot() != null) {
                try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                    tasks.forEach(task -> files.add(task.file()));
                }
            }
            for (DataFile file : files) {
                List<Object[]> kept = new ArrayList<>();
                List<Object[]> carrying = new ArrayList<>();
                for (Object[] row : IcebergCompactor.readFile(table, file, table.schema(), rows)) {
                    (carries(subject, row, columns) ? carrying : kept).add(row);
                }
                if (!carrying.isEmpty()) {
                    keptByFile.put(file, kept);
                    gone += carrying.size();
                    List<Map<String, Object>> asMaps = removed.computeIfAbsent(name, t -> new ArrayList<>());
                    carrying.forEach(row -> asMaps.add(asMap(row, columns)));
                }
            }
            if (keptByFile.isEmpty()) {
                continue;
            }
            rowsByTable.put(name, gone);
            filesByTable.put(name, keptByFile.size());
            if (dryRun) {
                continue;
            }
            OverwriteFiles commit = table.newOverwrite();
            for (Map.Entry<DataFile, List<Object[]>> file : keptByFile.entrySet()) {
                commit.deleteFile(file.getKey());
                IcebergCompactor.writeFiles(
                                table, settings, rows, file.getValue(), "erasure-" + java.util.UUID.randomUUID())
                        .forEach(commit::addFile);
            }
            lease.ensureHeld();
            commit.set("sluice.erasure", "true");
            commit.commit();
            // every snapshot that still reaches the old files goes, then the files: the bytes are gone (expiry's own
            // cleanup deletes only what the expired snapshots deleted, and these were deleted by the one kept)
            table.expireSnapshots()
                    .expireOlderThan(System.currentTimeMillis() + 1)
                    .retainLast(1)
                    .cleanExpiredFiles(true)
                    .commit();
            keptByFile.keySet().forEach(old -> table.io().deleteFile(old.location()));
            LOG.info("erased {} row(s) from Iceberg table {} ({} file(s) rewritten)", gone, id, keptByFile.size());
        }
        return new Report(rowsByTable, filesByTable, removed, 0);
    }

    /**
     * Drops the subject's keys from the tombstone lists kept for tables whose hours have no marker (a current-state
     * table's key is the masked primary key, which may be the subject's pseudonym).
     */
    private void forgetTombstones(Subject subject) throws IOException {
        FileStatus[] lists = fs.globStatus(new Path(new Path(layout.root(), UpsertKeys.FOLDER), "*.tombstones/*.json"));
        for (FileStatus list : lists == null ? new FileStatus[0] : lists) {
            Map<String, RowId> tombstones = HourMarker.tombstonesIn(fs, list.getPath());
            if (tombstones.keySet().removeIf(subject::carriedBy)) {
                LakeMetadataFile.replace(
                        fs, list.getPath(), LakeJson.MAPPER.writeValueAsBytes(HourMarker.tombstonesJson(tombstones)));
            }
        }
    }

    private static boolean carries(Subject subject, Object[] row, LakeColumns columns) {
        for (String column : subject.columns()) {
            int number = columns.numberOfAvroName(LakeSchema.avroName(column));
            if (number < 0) {
                number = columns.find(column);
            }
            if (subject.carriedBy(LakeColumns.value(row, number))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> asMap(Object[] row, LakeColumns columns) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < row.length && i < columns.size(); i++) {
            if (row[i] != null) {
                map.put(columns.avroName(i), row[i] instanceof CharSequence text ? text.toString() : row[i]);
            }
        }
        return map;
    }
}
