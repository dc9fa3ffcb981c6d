package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls each closed table-hour's tier-0 objects into an Apache Iceberg table ({@code lake.format: iceberg}), written
 * with Iceberg's own Parquet writer (Snappy), partitioned by {@code hour(__event_time)}, format v2.
 *
 * <p>Commit protocol, per table and pass: every hour's new data files are written first (not yet part of the table);
 * then one {@link OverwriteFiles} commit adds them and removes the files they replace — late rows are merged into the
 * hour's smallest file below the target size, rewritten with them; an hour of a table kept as upserts ({@link
 * UpsertKeys}) is rewritten whole with the last row per key — so a reader sees the table before the pass or after
 * it, never part of it, on any file system (the catalog's pointer swap is the one atomic step). Only after the commit
 * are the tier-0 objects deleted. A pass is idempotent: rows are known by {@code (__kafka_partition,
 * __kafka_offset)}, and those the table holds already are not written again, so a pass that crashed after its commit
 * finds nothing left to do but the deletes; one that crashed before leaves data files no snapshot references, which
 * {@link IcebergMaintenance} removes after each commit, with the snapshots past their retention. One compactor works on a lake at a time (the lake's {@link CompactionLease}).
 */
public final class IcebergCompactor implements LakeCompactor {
    private static final Logger LOG = LoggerFactory.getLogger(IcebergCompactor.class);
    /** The snapshot summary property naming the pass that made a snapshot. */
    static final String PASS_PROPERTY = "sluice.compaction-pass";

    private final FileSystem fs;
    private final LakeLayout layout;
    private final Catalog catalog;
    private final Namespace namespace;
    private final CompactionSettings settings;
    private final Tier0Inputs inputs;
    private final boolean leased;
    private final IcebergMaintenance maintenance;
    private IcebergMetrics metrics = IcebergMetrics.NONE;

    /** A compactor of the lake into tables of {@code catalog}'s namespace, holding the lake's lease for each pass. */
    public IcebergCompactor(
            LakeFileSystem lake,
            CompactionSettings settings,
            Catalog catalog,
            String namespace,
            IcebergMaintenance maintenance) {
        this(lake, settings, catalog, namespace, maintenance, true);
    }

    /** As above; without the lease when {@code leased} is false (crash tests kill passes without releasing it). */
    IcebergCompactor(
            LakeFileSystem lake,
            CompactionSettings settings,
            Catalog catalog,
            String namespace,
            IcebergMaintenance maintenance,
            boolean leased) {
        this.maintenance = maintenance;
        this.fs = lake.fs();
        this.layout = lake.layout();
        this.catalog = catalog;
        this.namespace = Namespace.of(namespace.split("\\."));
        this.settings = settings;
        this.inputs = new Tier0Inputs(fs, layout);
        this.leased = leased;
    }

    /** This compactor, counting into {@code metrics}. */
    public IcebergCompactor countingInto(IcebergMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /** The table a lake table is kept in. */
    public TableIdentifier identifier(String table) {
        return TableIdentifier.of(namespace, table);
    }

    @Override
    public CompactionReport compact(Predicate<EventHour> isClosed) {
        long started = System.nanoTime();
        return CompactionLease.holding(
                fs,
                layout,
                settings,
                leased,
                (ensureHeld, waited) -> compactHolding(ensureHeld, isClosed, started, waited));
    }

    private CompactionReport compactHolding(
            Runnable ensureHeld, Predicate<EventHour> isClosed, long started, Duration waited) {
        Map<String, Map<EventHour, List<Path>>> byTable = new TreeMap<>();
        int open = 0;
        for (Map.Entry<Tier0Inputs.TableHour, List<Path>> pending :
                inputs.pending().entrySet()) {
            Tier0Inputs.TableHour th = pending.getKey();
            if (!isClosed.test(th.hour())) {
                open++;
                continue;
            }
            byTable.computeIfAbsent(th.table(), t -> new TreeMap<>()).put(th.hour(), pending.getValue());
        }
        List<CompactionReport.HourResult> done = new ArrayList<>();
        List<CompactionReport.FailedHour> failed = new ArrayList<>();
        byTable.forEach((table, hours) -> {
            ensureHeld.run();
            try {
                new TablePass(table, hours, ensureHeld).run(done, failed);
            } catch (CompactionLease.LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                // the commit (or the table itself) failed: no hour of the table went in, all keep their objects
                hours.keySet()
                        .forEach(hour -> failed.add(new CompactionReport.FailedHour(
                                table,
                                hour,
                                new IllegalStateException(
                                        "compaction of Iceberg table " + identifier(table)
                                                + " failed; the next pass retries it",
                                        e))));
                LOG.error("compaction of Iceberg table {} failed: {}", identifier(table), e.toString(), e);
            }
        });
        return new CompactionReport(
                done, open, Duration.ofNanos(System.nanoTime() - started), List.copyOf(failed), null, waited);
    }

    /** One pass over one table: every closed hour's files written, then one commit, then the tier-0 objects deleted. */
    private final class TablePass {
        private final String table;
        private final Map<EventHour, List<Path>> hours;
        private final Runnable ensureHeld;
        private final String upsertKey;
        private final boolean wholeTable;
        private final String pass = UUID.randomUUID().toString();
        private Table iceberg;

        TablePass(String table, Map<EventHour, List<Path>> hours, Runnable ensureHeld) {
            this.table = table;
            this.hours = hours;
            this.ensureHeld = ensureHeld;
            this.upsertKey = UpsertKeys.keyOf(fs, layout, table);
            this.wholeTable = upsertKey != null && UpsertKeys.isWholeTable(fs, layout, table);
            TableIdentifier id = identifier(table);
            this.iceberg = catalog.tableExists(id) ? catalog.loadTable(id) : null;
        }

        void run(List<CompactionReport.HourResult> done, List<CompactionReport.FailedHour> failed) {
            if (wholeTable) {
                try {
                    runCurrentState(done);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return;
            }
            List<HourChange> changes = new ArrayList<>();
            for (Map.Entry<EventHour, List<Path>> hour : hours.entrySet()) {
                try {
                    changes.add(hourChange(hour.getKey(), hour.getValue()));
                } catch (CompactionLease.LeaseLostException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    failed.add(new CompactionReport.FailedHour(
                            table,
                            hour.getKey(),
                            new IllegalStateException(
                                    "compaction of " + table + " hour " + hour.getKey()
                                            + " failed; the next pass retries it",
                                    e)));
                    LOG.error(
                            "compaction of {} hour {} failed, its tier-0 objects kept for the next pass: {}",
                            table,
                            hour.getKey(),
                            e.toString());
                }
            }
            if (changes.stream().anyMatch(HourChange::changesFiles)) {
                OverwriteFiles commit = iceberg.newOverwrite();
                changes.forEach(change -> {
                    change.deleted().forEach(commit::deleteFile);
                    change.added().forEach(commit::addFile);
                });
                commit.set(PASS_PROPERTY, pass);
                ensureHeld.run();
                commit.commit();
                metrics.committed(table);
                ensureHeld.run();
                maintainQuietly();
            }
            ensureHeld.run();
            if (!changes.isEmpty()) {
                try {
                    NewestHour.record(
                            fs, layout, table, changes.get(changes.size() - 1).hour());
                } catch (IOException e) {
                    LOG.warn("cannot record the newest hour of {}: {}", table, e.toString());
                }
            }
            for (HourChange change : changes) {
                for (Path object : hours.get(change.hour())) {
                    try {
                        fs.delete(object, false);
                    } catch (IOException e) {
                        throw new UncheckedIOException(
                                "cannot remove the compacted tier-0 objects of " + table + " hour " + change.hour()
                                        + "; re-run to repair",
                                e);
                    }
                }
                done.add(new CompactionReport.HourResult(
                        table,
                        change.hour(),
                        change.filesAfter(),
                        change.rowsAfter(),
                        change.fresh(),
                        change.added().size()));
                LOG.info(
                        "compacted {} hour {} into Iceberg table {}: {} rows ({} new) in {} file(s)",
                        table,
                        change.hour(),
                        identifier(table),
                        change.rowsAfter(),
                        change.fresh(),
                        change.filesAfter());
            }
        }

        private HourChange hourChange(EventHour hour, List<Path> objects) throws IOException {
            List<DataFile> existing = filesOf(hour);
            LakeColumns columns = new LakeColumns();
            java.util.Set<RowId> held = new java.util.HashSet<>();
            long heldRows = 0;
            if (iceberg != null) {
                Schema ids = iceberg.schema().select(CuratedFields.KAFKA_PARTITION, CuratedFields.KAFKA_OFFSET);
                IcebergRows idRows = new IcebergRows(table, ids, columns);
                for (DataFile file : existing) {
                    for (Object[] row : read(file, ids, idRows)) {
                        RowId id = RowId.of(row, columns);
                        if (id != null) {
                            held.add(id);
                        }
                        heldRows++;
                    }
                }
            }
            LakeSchema.HeldTypes heldTypes = new LakeSchema.HeldTypes();
            List<HourRowMerge.Run> runs = inputs.runs(objects, columns, heldTypes, row -> {
                RowId id = RowId.of(row, columns);
                return id != null && held.contains(id);
            });
            LakeSchema schema = LakeSchema.startingFrom(null);
            schema.declare(LakeColumnTypes.read(fs, layout, table));
            schema.observe(columns, heldTypes);
            schema.forget(UpsertKeys.RETRACTED);
            RowOrder order = new RowOrder(columns);
            List<Object[]> fresh = HourRowMerge.sortedDistinct(runs, order);
            if (fresh.isEmpty()) {
                return new HourChange(hour, List.of(), List.of(), existing.size(), heldRows, 0);
            }
            evolve(schema);
            IcebergRows rows = new IcebergRows(table, iceberg.schema(), columns);
            if (upsertKey != null) {
                return upsertHour(hour, existing, columns, order, rows, fresh);
            }
            DataFile merged = existing.stream()
                    .filter(f -> f.fileSizeInBytes() < settings.targetFileSize())
                    .min(Comparator.comparingLong(DataFile::fileSizeInBytes))
                    .orElse(null);
            List<Object[]> toWrite = fresh;
            long mergedRows = 0;
            if (merged != null) {
                List<Object[]> old = read(merged, iceberg.schema(), rows);
                mergedRows = old.size();
                toWrite = HourRowMerge.sortedDistinct(
                        List.of(HourRowMerge.inMemory(old), HourRowMerge.inMemory(fresh)), order);
            }
            List<DataFile> added = write(hour, rows, toWrite);
            return new HourChange(
                    hour,
                    added,
                    merged == null ? List.of() : List.of(merged),
                    existing.size() - (merged == null ? 0 : 1) + added.size(),
                    heldRows - mergedRows + toWrite.size(),
                    fresh.size());
        }

        /** A table kept as upserts: the hour rewritten whole, with the last row per key, none after a tombstone. */
        private HourChange upsertHour(
                EventHour hour,
                List<DataFile> existing,
                LakeColumns columns,
                RowOrder order,
                IcebergRows rows,
                List<Object[]> fresh)
                throws IOException {
            LatestRowPerKey latest = new LatestRowPerKey(columns, upsertKey);
            List<Object[]> old = new ArrayList<>();
            int keyColumn = columns.numberOfAvroNameOrNew(LakeSchema.avroName(upsertKey));
            for (int file = 0; file < existing.size(); file++) {
                for (Object[] row : read(existing.get(file), iceberg.schema(), rows)) {
                    old.add(row);
                    Object key = LakeColumns.value(row, keyColumn);
                    RowId id = RowId.of(row, columns);
                    if (key != null && id != null) {
                        latest.offerHeld(key.toString(), id, file);
                    }
                }
            }
            UpsertKeys.tombstones(fs, layout, table, hour).forEach(latest::offerApplied);
            fresh.forEach(latest::offerFresh);
            List<Object[]> kept = new ArrayList<>();
            old.stream().filter(latest::keepsHeldRow).forEach(kept::add);
            for (int file = 0; file < existing.size(); file++) {
                kept.addAll(latest.replacementsIn(file));
            }
            kept.addAll(latest.added(fresh));
            List<Object[]> sorted = HourRowMerge.sortedDistinct(List.of(HourRowMerge.inMemory(kept)), order);
            // before the commit: a tombstone only ever hides rows written before it, so one kept early is harmless
            UpsertKeys.writeTombstones(fs, layout, table, hour, latest.tombstones());
            List<DataFile> added = write(hour, rows, sorted);
            return new HourChange(hour, added, existing, added.size(), sorted.size(), fresh.size());
        }

        /**
         * A current-state table ({@code <source>_<table>_current}): every closed hour's rows at once, the last change per
         * key (the masked primary key) over them and the table; one {@link RowDelta} commit adds the new rows and an
         * equality delete on {@link UpsertKeys#CURRENT_KEY} for each key the table holds that changed or was deleted
         * (Iceberg format v2 row-level deletes: rows added in the same commit are not deleted by it).
         */
        private void runCurrentState(List<CompactionReport.HourResult> done) throws IOException {
            List<Path> objects = new ArrayList<>();
            hours.values().forEach(objects::addAll);
            LakeColumns columns = new LakeColumns();
            LakeSchema.HeldTypes heldTypes = new LakeSchema.HeldTypes();
            List<HourRowMerge.Run> runs = inputs.runs(objects, columns, heldTypes, row -> false);
            LakeSchema schema = LakeSchema.startingFrom(null);
            schema.declare(LakeColumnTypes.read(fs, layout, table));
            schema.observe(columns, heldTypes);
            schema.forget(UpsertKeys.RETRACTED);
            RowOrder order = new RowOrder(columns);
            List<Object[]> fresh = HourRowMerge.sortedDistinct(runs, order);
            int keyColumn = columns.numberOfAvroNameOrNew(UpsertKeys.CURRENT_KEY);
            Set<String> keys = new java.util.TreeSet<>();
            fresh.forEach(row -> {
                Object key = LakeColumns.value(row, keyColumn);
                if (key != null) {
                    keys.add(key.toString());
                }
            });
            long added = 0;
            if (!keys.isEmpty()) {
                evolve(schema);
                LatestRowPerKey latest = new LatestRowPerKey(columns, UpsertKeys.CURRENT_KEY);
                Map<String, RowId> held = heldKeys(keys, columns);
                held.forEach((key, id) -> latest.offerHeld(key, id, 0));
                Map<String, RowId> carried = UpsertKeys.tombstones(fs, layout, table, null);
                carried.forEach(latest::offerApplied);
                fresh.forEach(latest::offerFresh);
                List<Object[]> rows = new ArrayList<>(latest.replacementsIn(0));
                rows.addAll(latest.added(fresh));
                List<Object[]> sorted = HourRowMerge.sortedDistinct(List.of(HourRowMerge.inMemory(rows)), order);
                List<String> deletedKeys = held.entrySet().stream()
                        .filter(e -> !latest.keepsHeld(e.getKey(), e.getValue()))
                        .map(Map.Entry::getKey)
                        .toList();
                Map<String, RowId> applied = new TreeMap<>(latest.tombstones());
                // a tombstone is needed only until the objects that could bring a stale row again are gone: this pass's
                applied.keySet().removeIf(key -> applied.get(key).equals(carried.get(key)));
                UpsertKeys.writeTombstones(fs, layout, table, null, applied);
                IcebergRows icebergRows = new IcebergRows(table, iceberg.schema(), columns);
                List<DataFile> files = write(null, icebergRows, sorted);
                if (!files.isEmpty() || !deletedKeys.isEmpty()) {
                    RowDelta delta = iceberg.newRowDelta();
                    files.forEach(delta::addRows);
                    if (!deletedKeys.isEmpty()) {
                        delta.addDeletes(equalityDeletes(deletedKeys));
                    }
                    delta.set(PASS_PROPERTY, pass);
                    ensureHeld.run();
                    delta.commit();
                    metrics.committed(table);
                    metrics.keysDeleted(table, deletedKeys.size());
                    ensureHeld.run();
                    maintainQuietly();
                }
                added = sorted.size();
            }
            ensureHeld.run();
            for (Map.Entry<EventHour, List<Path>> hour : hours.entrySet()) {
                for (Path object : hour.getValue()) {
                    fs.delete(object, false);
                }
            }
            EventHour last = ((java.util.NavigableMap<EventHour, List<Path>>) hours).lastKey();
            NewestHour.record(fs, layout, table, last);
            done.add(new CompactionReport.HourResult(table, last, 0, added, fresh.size(), 0));
            LOG.info(
                    "current state {}: {} change(s) from {} hour(s), {} key(s) written",
                    identifier(table),
                    fresh.size(),
                    hours.size(),
                    added);
        }

        /** The identity of the row each of {@code keys} has in the table now (deletes applied), for those it has. */
        private Map<String, RowId> heldKeys(Set<String> keys, LakeColumns columns) throws IOException {
            Map<String, RowId> held = new java.util.HashMap<>();
            if (iceberg.currentSnapshot() == null) {
                return held;
            }
            try (CloseableIterable<Record> records = org.apache.iceberg.data.IcebergGenerics.read(iceberg)
                    .where(Expressions.in(UpsertKeys.CURRENT_KEY, keys.toArray()))
                    .select(UpsertKeys.CURRENT_KEY, CuratedFields.KAFKA_PARTITION, CuratedFields.KAFKA_OFFSET)
                    .build()) {
                for (Record record : records) {
                    Object key = record.getField(UpsertKeys.CURRENT_KEY);
                    Object partition = record.getField(CuratedFields.KAFKA_PARTITION);
                    Object offset = record.getField(CuratedFields.KAFKA_OFFSET);
                    if (key != null && partition instanceof Long p && offset instanceof Long o) {
                        held.merge(key.toString(), new RowId(p, o), (a, b) -> a.offset() >= b.offset() ? a : b);
                    }
                }
            }
            return held;
        }

        /** An equality delete file removing every row of the given keys written before its commit. */
        private DeleteFile equalityDeletes(List<String> keys) throws IOException {
            Schema keySchema = iceberg.schema().select(UpsertKeys.CURRENT_KEY);
            int keyField = iceberg.schema().findField(UpsertKeys.CURRENT_KEY).fieldId();
            OutputFile out = iceberg.io()
                    .newOutputFile(iceberg.locationProvider()
                            .newDataLocation("delete-" + pass + "."
                                    + settings.codec().name().toLowerCase(java.util.Locale.ROOT) + ".parquet"));
            EqualityDeleteWriter<Record> writer = Parquet.writeDeletes(out)
                    .forTable(iceberg)
                    .withSpec(iceberg.spec())
                    .rowSchema(keySchema)
                    .equalityFieldIds(keyField)
                    .createWriterFunc(GenericParquetWriter::create)
                    .overwrite()
                    .buildEqualityWriter();
            try (writer) {
                for (String key : keys) {
                    org.apache.iceberg.data.GenericRecord record =
                            org.apache.iceberg.data.GenericRecord.create(keySchema);
                    record.setField(UpsertKeys.CURRENT_KEY, key);
                    writer.write(record);
                }
            }
            return writer.toDeleteFile();
        }

        private void maintainQuietly() {
            try {
                metrics.maintained(table, maintenance.maintain(iceberg, fs, System.currentTimeMillis()));
            } catch (RuntimeException e) {
                // the pass is committed; the next one maintains the table again
                LOG.warn("maintenance of Iceberg table {} failed: {}", identifier(table), e.toString());
            }
        }

        /** Creates the table, or adds the columns it lacks (by name; Iceberg gives them new field ids). */
        private void evolve(LakeSchema schema) {
            Map<String, LakeSchema.ColumnType> types = new LinkedHashMap<>(schema.columnTypes());
            types.put(CuratedFields.EVENT_TIME, LakeSchema.ColumnType.TIMESTAMP_MILLIS);
            Map<String, String> docs = new java.util.HashMap<>();
            LakeColumnDocs.read(fs, layout, table).forEach((column, doc) -> docs.put(LakeSchema.avroName(column), doc));
            if (iceberg == null) {
                TableIdentifier id = identifier(table);
                if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace)) {
                    try {
                        namespaces.createNamespace(namespace);
                    } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
                        // created meanwhile
                    }
                }
                Schema initial = IcebergRows.schemaOf(types, docs);
                iceberg = catalog.buildTable(id, initial)
                        // a current-state table has one row per key whatever its time: not partitioned by hour
                        .withPartitionSpec(
                                wholeTable
                                        ? PartitionSpec.unpartitioned()
                                        : PartitionSpec.builderFor(initial)
                                                .hour(CuratedFields.EVENT_TIME)
                                                .build())
                        .withProperty(TableProperties.FORMAT_VERSION, "2")
                        .withProperty(
                                TableProperties.PARQUET_COMPRESSION,
                                settings.codec().name().toLowerCase(java.util.Locale.ROOT))
                        .withProperty(
                                TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(settings.rowGroupSize()))
                        .withProperty("sluice.lake-table", table)
                        .create();
                LOG.info("created Iceberg table {} at {}", id, iceberg.location());
                return;
            }
            Map<String, String> known = new java.util.HashMap<>();
            iceberg.schema().columns().forEach(f -> known.put(f.name(), String.valueOf(f.doc())));
            UpdateSchema update = null;
            for (Map.Entry<String, LakeSchema.ColumnType> column : types.entrySet()) {
                String name = column.getKey();
                String doc = docs.get(name);
                if (!known.containsKey(name)) {
                    update = update == null ? iceberg.updateSchema() : update;
                    update.addColumn(name, IcebergRows.typeOf(column.getValue()), doc);
                } else if (doc != null && !doc.equals(known.get(name))) {
                    update = update == null ? iceberg.updateSchema() : update;
                    update.updateColumnDoc(name, doc);
                }
            }
            if (update != null) {
                update.commit();
                iceberg.refresh();
            }
        }

        /** The data files of the hour, as the table's current snapshot has them. */
        private List<DataFile> filesOf(EventHour hour) throws IOException {
            List<DataFile> files = new ArrayList<>();
            if (iceberg == null || iceberg.currentSnapshot() == null) {
                return files;
            }
            int hourOrdinal = (int) (hour.startMs() / 3_600_000L);
            try (CloseableIterable<FileScanTask> tasks = iceberg.newScan()
                    .filter(Expressions.and(
                            Expressions.greaterThanOrEqual(CuratedFields.EVENT_TIME, hour.startMs() * 1000),
                            Expressions.lessThan(CuratedFields.EVENT_TIME, hour.endMs() * 1000)))
                    .planFiles()) {
                Set<String> seen = new java.util.HashSet<>();
                for (FileScanTask task : tasks) {
                    DataFile file = task.file();
                    Integer partition = file.partition().get(0, Integer.class);
                    if (partition != null && partition == hourOrdinal && seen.add(file.location())) {
                        files.add(file);
                    }
                }
            }
            files.sort(Comparator.comparing(DataFile::location));
            return files;
        }

        private List<Object[]> read(DataFile file, Schema projection, IcebergRows rows) throws IOException {
            return readFile(iceberg, file, projection, rows);
        }

        /** Writes the hour's rows (in order) into data files of at most the target size; none for no rows. */
        private List<DataFile> write(EventHour hour, IcebergRows rows, List<Object[]> ordered) throws IOException {
            return writeFiles(iceberg, settings, rows, ordered, pass);
        }
    }

    /** A data file's rows (deletes not applied), numbered by the columns {@code rows} converts for. */
    static List<Object[]> readFile(Table table, DataFile file, Schema projection, IcebergRows rows) throws IOException {
        List<Object[]> read = new ArrayList<>();
        try (CloseableIterable<Record> records = Parquet.read(table.io().newInputFile(file.location()))
                .project(projection)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(projection, fileSchema))
                .build()) {
            for (Record record : records) {
                read.add(rows.toRow(record));
            }
        }
        return read;
    }

    /** Writes rows (in order, all of one partition) into data files of at most the target size; none for no rows. */
    static List<DataFile> writeFiles(
            Table iceberg, CompactionSettings settings, IcebergRows rows, List<Object[]> ordered, String pass)
            throws IOException {
        List<DataFile> files = new ArrayList<>();
        DataWriter<Record> writer = null;
        PartitionKey partition = new PartitionKey(iceberg.spec(), iceberg.schema());
        try {
            for (Object[] row : ordered) {
                Record record = rows.toRecord(row);
                if (writer == null) {
                    // the partition transform reads the internal form (micros), not the generic record's OffsetDateTime
                    partition.partition(
                            new InternalRecordWrapper(iceberg.schema().asStruct()).wrap(record));
                    String name = String.format(
                            java.util.Locale.ROOT,
                            "part-%05d-%s.%s.parquet",
                            files.size(),
                            pass,
                            settings.codec().name().toLowerCase(java.util.Locale.ROOT));
                    OutputFile out = iceberg.io()
                            .newOutputFile(iceberg.locationProvider().newDataLocation(iceberg.spec(), partition, name));
                    writer = Parquet.writeData(out)
                            .forTable(iceberg)
                            .withPartition(partition)
                            .createWriterFunc(GenericParquetWriter::create)
                            .overwrite()
                            .build();
                }
                writer.write(record);
                if (writer.length() >= settings.targetFileSize()) {
                    writer.close();
                    files.add(writer.toDataFile());
                    writer = null;
                }
            }
        } finally {
            if (writer != null) {
                writer.close();
                files.add(writer.toDataFile());
            }
        }
        return files;
    }

    /**
     * What a pass does to one hour: files added and removed (none when the table holds every row already).
     *
     * @param filesAfter the hour's data files once committed
     * @param rowsAfter  its rows once committed
     * @param fresh      rows this pass brought that the table did not hold
     */
    private record HourChange(
            EventHour hour, List<DataFile> added, List<DataFile> deleted, int filesAfter, long rowsAfter, long fresh) {
        boolean changesFiles() {
            return !added.isEmpty() || !deleted.isEmpty();
        }
    }
}
