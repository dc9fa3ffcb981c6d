package io.sluice.sinks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls each closed table-hour's tier-0 objects into Snappy Parquet under
 * {@code curated/<table>/year=/month=/day=/hour=}.
 *
 * <p>Commit protocol, for one table-hour: (1) read the identities of the rows the hour already holds
 * and its tier-0 objects, and keep only tier-0 rows whose (partition, offset) the hour does not hold
 * yet, which makes a pass idempotent; (2) write the Parquet files (their rows merged in event-time
 * order from the objects, each object read only when the write reaches its earliest event time:
 * {@link HourRowMerge}, on a second thread) and the {@code _SUCCESS} marker to
 * {@code _staging/<table>/<hour>/<pass>/}, outside the trees that query engines read; (3) publish
 * with single renames, each atomic on local and HDFS file systems: an hour compacted for the first
 * time is the staged directory renamed into place; rows arriving later for a compacted hour are
 * merged into the hour's last file, rewritten whole with them (or, when that file has reached the
 * target size, go into one new file), published by deleting {@code _SUCCESS}, renaming the file
 * over the old one (or in), and renaming the new {@code _SUCCESS} in; (4) once every hour of the
 * pass and the tables' DDL are written, delete the tier-0 objects that went in, and the staging
 * space.
 *
 * <p>A reader therefore sees the hour's old rows or its new rows, never a half-written hour, a
 * missing one or a row twice, and a {@code _SUCCESS} only when it describes the files beside it;
 * an hour stays one file however many passes bring it late rows (a file per target size for big
 * hours), and only its last file is ever replaced (in a table kept as upserts, {@link UpsertPass}, and in an
 * erasure, {@link #rewriteFiles}, any file holding a row that goes). A crashed pass is repaired by the next one,
 * which removes staged leftovers and redoes the work with the same result. (Rewriting a whole
 * multi-file hour instead cannot be published in one rename: the hour would be missing, or
 * doubled, between the renames of its files.) One compactor runs per lake at a time: a pass holds
 * the lake's {@link CompactionLease} throughout, and checks it before each publish and before
 * deleting tier-0 objects.
 *
 * <p>On object stores ({@code s3a://}; {@link LakeFileSystem#hasAtomicDirectoryRename()}) a directory
 * rename is a copy and a delete per object, not atomic, so step (3) differs: the staged pass is
 * published file by file, for a new hour as for late rows: the hour's {@code _SUCCESS} removed
 * (if any), each Parquet file renamed in (one server-side copy, visible whole once complete: S3
 * shows an object only when its PUT or COPY completes, and is strongly consistent for reads and
 * lists), the new {@code _SUCCESS} last. A pass that crashed after its staged {@code _SUCCESS} was
 * written is rolled forward by the next (files already in place are kept, the rest moved, the
 * marker last), so it ends as a clean pass would; one that crashed earlier is dropped and redone.
 * A file that replaces the hour's last is put over it (S3A refuses to rename onto an object; a PUT
 * replaces it whole when the upload completes) and stays staged until then, so a roll-forward puts
 * it again. Safe: no file is ever seen half-written, no row twice, a {@code _SUCCESS} only over the
 * complete hour it lists, and late rows (one file) are as atomic as on HDFS. Not safe: a new hour of more
 * than one file (over {@code targetFileSize}) can be seen in part, some files before the others, by
 * a reader that does not wait for {@code _SUCCESS}; only a table format (Iceberg, Delta) makes a
 * multi-file commit atomic for every engine on S3.
 *
 * <p>Everything a pass writes is in the lake: staging is {@code <lake>/_staging} because a rename
 * is atomic only within one file system, and Hadoop writes nothing to {@code hadoop.tmp.dir} for
 * local or HDFS lakes. The exception is native code: snappy-java (and zstd-jni, for the zstd
 * codec) extract their shared library once per JVM to {@code org.xerial.snappy.tempdir}
 * ({@code ZstdTempFolder}), by default {@code java.io.tmpdir}; these are JVM-wide system
 * properties, also read by the Kafka clients, so they are set where the JVM starts (the image and
 * the chart set both to {@code /tmp}), not here. An {@code s3a://} lake also buffers uploads on local
 * disk ({@code fs.s3a.buffer.dir}, by default under {@code hadoop.tmp.dir} in {@code /tmp}, or
 * {@code fs.s3a.fast.upload.buffer=bytebuffer} for memory).
 */
public final class HourlyCompactor implements LakeCompactor {
    private static final Logger LOG = LoggerFactory.getLogger(HourlyCompactor.class);
    /** Staged-aside hour directories of the earlier protocol, which rewrote hours; still restored. */
    private static final String OLD_SUFFIX = ".old";
    /** The staged name of a file that replaces the hour's file of the same name without this prefix. */
    private static final String REPLACEMENT_PREFIX = "replaces.";
    /** The completeness marker of a committed hour. */
    public static final String SUCCESS = HourMarker.NAME;

    private final FileSystem fs;
    private final Configuration conf;
    private final LakeLayout layout;
    private final ParquetHourWriter writer;
    private final Tier0Inputs tier0Inputs;
    private final boolean atomicDirectoryRename;
    private final boolean leased;
    private final CompactionSettings settings;

    /** A compactor over a lake, which takes the lake's compaction lease for each pass. */
    public HourlyCompactor(LakeFileSystem lake, CompactionSettings settings) {
        this(lake, settings, lake.hasAtomicDirectoryRename(), true);
    }

    /**
     * A compactor that publishes file by file when {@code atomicDirectoryRename} is false, and runs
     * without the lease when {@code leased} is false (tests choose: the crash tests kill passes
     * without releasing it, and check the commit protocol, not the lease).
     */
    HourlyCompactor(LakeFileSystem lake, CompactionSettings settings, boolean atomicDirectoryRename, boolean leased) {
        this.atomicDirectoryRename = atomicDirectoryRename;
        this.leased = leased;
        this.settings = settings;
        this.fs = lake.fs();
        this.conf = lake.conf();
        this.layout = lake.layout();
        this.writer = new ParquetHourWriter(fs, conf, settings);
        this.tier0Inputs = new Tier0Inputs(fs, layout);
    }

    /**
     * One pass: compacts every table-hour that has new tier-0 objects and is closed, holding the
     * lake's compaction lease. When another pass holds it (after {@link CompactionSettings#leaseWait()}),
     * this one does nothing and says so in its report. An hour whose compaction fails is reported
     * and keeps its tier-0 objects for the next pass; the other hours go on.
     *
     * @param isClosed which hours may be compacted now (closed plus grace, or everything when the
     *                 input is known to be complete)
     * @throws CompactionLease.LeaseLostException when the lease expired under the pass (it stopped)
     */
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
        recoverInterruptedPasses();
        List<CompactionReport.HourResult> done = new ArrayList<>();
        List<CompactionReport.FailedHour> failed = new ArrayList<>();
        Map<Tier0Inputs.TableHour, List<Path>> inputs = new TreeMap<>();
        int open = 0;
        for (Map.Entry<Tier0Inputs.TableHour, List<Path>> pending :
                tier0Inputs.pending().entrySet()) {
            Tier0Inputs.TableHour th = pending.getKey();
            if (!isClosed.test(th.hour())) {
                open++;
                continue;
            }
            ensureHeld.run();
            try {
                done.add(compactHour(th.table(), th.hour(), pending.getValue(), ensureHeld));
                inputs.put(th, pending.getValue());
            } catch (CompactionLease.LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                // one bad hour (an unreadable object, a store error) must not hold back every other table's hours
                CompactionReport.FailedHour failure = new CompactionReport.FailedHour(
                        th.table(),
                        th.hour(),
                        e instanceof UncheckedIOException
                                ? e
                                : new IllegalStateException(
                                        "compaction of " + th.table() + " hour " + th.hour()
                                                + " failed; the next pass retries it",
                                        e));
                failed.add(failure);
                LOG.error(
                        "compaction of {} hour {} failed, its {} tier-0 object(s) kept for the next pass: {}",
                        th.table(),
                        th.hour(),
                        pending.getValue().size(),
                        failure.reason());
            }
        }
        if (!done.isEmpty()) {
            ensureHeld.run();
            new LakeDdl(new LakeFileSystem(fs, conf, layout.root())).writeAll();
            // The tier-0 objects are the record of work still to do: they go only once everything
            // made from them, the DDL included, is durable, so a pass that crashes before is redone.
            ensureHeld.run();
            inputs.forEach(this::removeInputs);
        }
        return new CompactionReport(
                done, open, Duration.ofNanos(System.nanoTime() - started), List.copyOf(failed), null, waited);
    }

    private void removeInputs(Tier0Inputs.TableHour th, List<Path> objects) {
        try {
            for (Path object : objects) {
                fs.delete(object, false);
            }
            fs.delete(layout.stagingHour(th.table(), th.hour()), true);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot remove the compacted tier-0 objects of " + th.table() + " hour " + th.hour()
                            + "; re-run to repair",
                    e);
        }
    }

    private CompactionReport.HourResult compactHour(
            String table, EventHour hour, List<Path> objects, Runnable ensureHeld) {
        Path live = layout.curatedHour(table, hour);
        Path staged =
                new Path(layout.stagingHour(table, hour), UUID.randomUUID().toString());
        try {
            String upsertKey = UpsertKeys.keyOf(fs, layout, table);
            CompactedHour compacted = CompactedHour.read(fs, conf, live, upsertKey);
            LakeColumns columns = new LakeColumns();
            LakeSchema.HeldTypes held = new LakeSchema.HeldTypes();
            List<HourRowMerge.Run> runs =
                    tier0Inputs.runs(objects, columns, held, row -> compacted.holds(row, columns));
            LakeSchema schema = compacted.schema();
            schema.declare(LakeColumnTypes.read(fs, layout, table));
            schema.observe(columns, held);

            List<String> files = new ArrayList<>(compacted.files());
            long fresh;
            long rows;
            if (upsertKey != null) {
                schema.forget(UpsertKeys.RETRACTED);
                UpsertPass pass = new UpsertPass(table, hour, live, staged, compacted, columns, schema, files);
                rows = pass.run(runs, upsertKey, ensureHeld);
                fresh = pass.freshRows;
            } else if (!compacted.exists()) {
                // streamed: the merge reads the objects as the writer reaches their event times and makes the records,
                // on a second thread, so that reading and merging the objects is not on the writer's core
                LakeSchema.RecordMaker records = schema.recordMaker(table, columns);
                HourRowMerge<GenericRecord> merge = new HourRowMerge<>(runs, new RowOrder(columns), records::newRecord);
                try (BackgroundIterator<GenericRecord> ahead =
                        new BackgroundIterator<>(merge, "sluice-compactor-reader")) {
                    writer.writeHour(staged, records.schema(), ahead).forEach(f -> files.add(f.getName()));
                }
                fresh = merge.emitted(); // read once the reader thread is done: the last batch taken happened after
                // its count
                rows = fresh;
                HourMarker.write(fs, staged, table, hour, fresh, files, Map.of());
                ensureHeld.run();
                if (atomicDirectoryRename) {
                    publishNewHour(staged, live);
                } else {
                    publishFileByFile(staged, live, files);
                }
            } else {
                List<Object[]> freshRows = HourRowMerge.sortedDistinct(runs, new RowOrder(columns));
                fresh = freshRows.size();
                FileStatus last = freshRows.isEmpty() ? null : compacted.lastFile();
                Path lateFile = null;
                String liveName = null;
                if (last != null && hasRoomFor(last)) {
                    // the hour stays as many files as it was: its last file is rewritten with the late rows
                    List<Object[]> lastRows = new ArrayList<>();
                    compacted.readRows(last, columns, lastRows::add);
                    liveName = last.getPath().getName();
                    List<Object[]> merged = HourRowMerge.sortedDistinct(
                            List.of(HourRowMerge.inMemory(freshRows), HourRowMerge.inMemory(lastRows)),
                            new RowOrder(columns));
                    lateFile = writer.writeReplacement(
                            staged, REPLACEMENT_PREFIX + liveName, table, schema, columns, merged);
                } else if (!freshRows.isEmpty()) {
                    lateFile = writer.writeLateFile(staged, compacted.nextPart(), table, schema, columns, freshRows);
                    liveName = lateFile.getName();
                    files.add(liveName);
                }
                rows = compacted.rows() + fresh;
                HourMarker.write(fs, staged, table, hour, rows, files, Map.of());
                ensureHeld.run();
                if (atomicDirectoryRename) {
                    publishLateRows(
                            lateFile == null ? Map.of() : Map.of(lateFile, liveName), new Path(staged, SUCCESS), live);
                } else {
                    publishFileByFile(staged, live, files);
                }
            }
            LOG.info(
                    "compacted {} hour {}: {} rows ({} new) in {} file(s) from {} tier-0 object(s)",
                    table,
                    hour,
                    rows,
                    fresh,
                    files.size(),
                    objects.size());
            return new CompactionReport.HourResult(
                    table,
                    hour,
                    files.size(),
                    rows,
                    fresh,
                    files.size() - compacted.files().size());
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException(
                    "compaction of " + table + " hour " + hour + " failed; re-run to repair",
                    e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e);
        }
    }

    /**
     * One pass over an hour of a table kept as upserts ({@link UpsertKeys}): the hour ends with the
     * last row per key and none for a key whose last write is a tombstone. The pass's rows are held
     * in memory (such tables are dimension histories: versions, not events). A new hour is written
     * whole; in a committed hour, each file holding a row that goes is rewritten without it and with
     * its key's new row, so every replacement swaps a key's old row for its new one in one rename;
     * rows of new keys go into the last file while it has room, else one new file. Tombstones are
     * kept in the hour's marker: a later pass may meet a stale row again (re-read after a crash).
     */
    private final class UpsertPass {
        private final String table;
        private final EventHour hour;
        private final Path live;
        private final Path staged;
        private final CompactedHour compacted;
        private final LakeColumns columns;
        private final LakeSchema schema;
        private final List<String> files;
        long freshRows;

        UpsertPass(
                String table,
                EventHour hour,
                Path live,
                Path staged,
                CompactedHour compacted,
                LakeColumns columns,
                LakeSchema schema,
                List<String> files) {
            this.table = table;
            this.hour = hour;
            this.live = live;
            this.staged = staged;
            this.compacted = compacted;
            this.columns = columns;
            this.schema = schema;
            this.files = files;
        }

        /** Writes, stages and publishes the hour; returns how many rows it has now. */
        long run(List<HourRowMerge.Run> runs, String upsertKey, Runnable ensureHeld) throws IOException {
            RowOrder order = new RowOrder(columns);
            LatestRowPerKey latest = new LatestRowPerKey(columns, upsertKey);
            compacted.keyedRows().forEach(r -> latest.offerHeld(r.key(), r.id(), r.file()));
            compacted.tombstones().forEach(latest::offerApplied);
            List<Object[]> fresh = HourRowMerge.sortedDistinct(runs, order);
            fresh.forEach(latest::offerFresh);
            freshRows = fresh.size();
            List<Object[]> added = latest.added(fresh);
            long rows;
            Map<Path, String> liveNameOfStaged = new java.util.LinkedHashMap<>();
            if (!compacted.exists()) {
                LakeSchema.RecordMaker records = schema.recordMaker(table, columns);
                writer.writeHour(
                                staged,
                                records.schema(),
                                added.stream().map(records::toRecord).iterator())
                        .forEach(f -> files.add(f.getName()));
                rows = added.size();
            } else {
                rows = compacted.rows();
                java.util.SortedSet<Integer> rewrite = new java.util.TreeSet<>(latest.filesToRewrite());
                int lastFile = files.size() - 1;
                boolean addToLast = !added.isEmpty() && lastFile >= 0 && hasRoomFor(compacted.lastFile());
                if (addToLast) {
                    rewrite.add(lastFile);
                }
                for (int file : rewrite) {
                    String name = files.get(file);
                    List<Object[]> kept = new ArrayList<>();
                    long[] before = {0};
                    compacted.readRows(compacted.file(file), columns, row -> {
                        before[0]++;
                        if (latest.keepsHeldRow(row)) {
                            kept.add(row);
                        }
                    });
                    kept.addAll(latest.replacementsIn(file));
                    if (addToLast && file == lastFile) {
                        kept.addAll(added);
                    }
                    List<Object[]> sorted = HourRowMerge.sortedDistinct(List.of(HourRowMerge.inMemory(kept)), order);
                    rows += sorted.size() - before[0];
                    liveNameOfStaged.put(
                            writer.writeReplacement(staged, REPLACEMENT_PREFIX + name, table, schema, columns, sorted),
                            name);
                }
                if (!added.isEmpty() && !addToLast) {
                    Path lateFile = writer.writeLateFile(staged, compacted.nextPart(), table, schema, columns, added);
                    files.add(lateFile.getName());
                    liveNameOfStaged.put(lateFile, lateFile.getName());
                    rows += added.size();
                }
            }
            HourMarker.write(fs, staged, table, hour, rows, files, latest.tombstones());
            ensureHeld.run();
            if (!atomicDirectoryRename) {
                publishFileByFile(staged, live, files);
            } else if (!compacted.exists()) {
                publishNewHour(staged, live);
            } else {
                publishLateRows(liveNameOfStaged, new Path(staged, SUCCESS), live);
            }
            return rows;
        }
    }

    /**
     * Replaces files of a committed hour with the rows given for each (an erasure removing rows): each file is
     * rewritten and renamed over the old one, as late rows replace a file, the hour's {@code _SUCCESS} removed first
     * and written back last with the new row count (and, for a table kept as upserts, the same tombstones).
     *
     * @param keptByFile the rows each rewritten file keeps, by file name
     * @param rowsAfter  the rows the hour holds once rewritten
     */
    void rewriteFiles(
            String table,
            EventHour hour,
            CompactedHour compacted,
            LakeColumns columns,
            Map<String, List<Object[]>> keptByFile,
            long rowsAfter,
            Runnable ensureHeld)
            throws IOException {
        Path live = layout.curatedHour(table, hour);
        Path staged =
                new Path(layout.stagingHour(table, hour), UUID.randomUUID().toString());
        recoverInterruptedPasses();
        Map<Path, String> liveNameOfStaged = new java.util.LinkedHashMap<>();
        RowOrder order = new RowOrder(columns);
        for (Map.Entry<String, List<Object[]>> file : keptByFile.entrySet()) {
            List<Object[]> rows = HourRowMerge.sortedDistinct(List.of(HourRowMerge.inMemory(file.getValue())), order);
            liveNameOfStaged.put(
                    writer.writeReplacement(
                            staged, REPLACEMENT_PREFIX + file.getKey(), table, compacted.schema(), columns, rows),
                    file.getKey());
        }
        HourMarker.write(fs, staged, table, hour, rowsAfter, compacted.files(), compacted.tombstones());
        ensureHeld.run();
        if (atomicDirectoryRename) {
            publishLateRows(liveNameOfStaged, new Path(staged, SUCCESS), live);
        } else {
            publishFileByFile(staged, live, compacted.files());
        }
        fs.delete(layout.stagingHour(table, hour), true);
    }

    /**
     * Whether late rows go into the hour's last file (rewritten) rather than a file of their own:
     * when it is below the target size and named for the codec now configured.
     */
    private boolean hasRoomFor(FileStatus last) {
        String name = last.getPath().getName();
        return last.getLen() < writer.targetFileSize()
                && name.equals(writer.fileName(ParquetHourWriter.partNumber(name)));
    }

    /** The staged directory becomes the hour in one rename: readers see no hour, then all of it. */
    private void publishNewHour(Path staged, Path live) throws IOException {
        fs.mkdirs(live.getParent());
        if (!fs.rename(staged, live)) {
            throw new IOException("could not move " + staged + " into place");
        }
    }

    /**
     * Publishes a pass's files in a committed hour, each in one rename: a new file, or a file of the
     * hour replaced whole (the last, for late rows; for a table kept as upserts, each file holding a
     * row that goes, with its key's new row in it). The marker goes first and comes back last, so
     * that between the two it is absent rather than describing other files than those present.
     */
    private void publishLateRows(Map<Path, String> liveNameOfStaged, Path stagedMarker, Path live) throws IOException {
        Path marker = new Path(live, SUCCESS);
        if (fs.exists(marker) && !fs.delete(marker, false)) {
            throw new IOException("could not remove " + marker);
        }
        for (Map.Entry<Path, String> file : liveNameOfStaged.entrySet()) {
            moveOrReplace(file.getKey(), new Path(live, file.getValue()));
        }
        if (!fs.rename(stagedMarker, marker)) {
            throw new IOException("could not move " + stagedMarker + " into place");
        }
    }

    /**
     * Moves a staged file to {@code to}, replacing a file there in one step: a reader sees the old
     * file or the new one, never neither and never a part. A local rename is {@code rename(2)},
     * which replaces a file atomically. HDFS and S3A refuse to rename onto a file: on HDFS a rename
     * with {@code OVERWRITE} is one NameNode operation; on an object store a PUT over the object
     * replaces it whole once the upload completes, and a crash before leaves the old one (the
     * staged file stays until then, so a roll-forward copies it again).
     */
    private void moveOrReplace(Path from, Path to) throws IOException {
        boolean renamed;
        try {
            renamed = fs.rename(from, to);
        } catch (FileAlreadyExistsException e) {
            renamed = false;
        }
        if (renamed) {
            return;
        }
        if (!fs.exists(to)) {
            throw new IOException("could not move " + from + " to " + to);
        }
        if (atomicDirectoryRename) {
            FileContext.getFileContext(fs.getUri(), conf).rename(from, to, Options.Rename.OVERWRITE);
            return;
        }
        try (InputStream in = fs.open(from);
                OutputStream out = fs.create(to, true)) {
            in.transferTo(out);
        }
        fs.delete(from, false);
    }

    /**
     * Object stores: publishes a staged pass one object at a time, each rename one server-side copy
     * that becomes visible whole. The hour's {@code _SUCCESS} goes first (when there is one) and the
     * staged one comes in last, so that a marker present always describes the files beside it. Files
     * the marker lists that are already in place are left alone, which makes this idempotent: a pass
     * that crashed half way through publishing is rolled forward by the next with the same steps.
     */
    private void publishFileByFile(Path staged, Path live, List<String> files) throws IOException {
        Path marker = new Path(live, SUCCESS);
        if (fs.exists(marker) && !fs.delete(marker, false)) {
            throw new IOException("could not remove " + marker);
        }
        fs.mkdirs(live);
        for (String file : files) {
            Path from = new Path(staged, file);
            Path to = new Path(live, file);
            Path replacement = new Path(staged, REPLACEMENT_PREFIX + file);
            if (fs.exists(replacement)) {
                // staged until it has replaced the live file: copied again after a crash, whatever the live one is now
                moveOrReplace(replacement, to);
            } else if (!fs.exists(from)) {
                if (!fs.exists(to)) {
                    throw new IOException(file + " is neither staged in " + staged + " nor in " + live);
                }
            } else if (fs.exists(to)) {
                // a rename that crashed between its copy and its delete: the copy is whole
                fs.delete(from, false);
            } else if (!fs.rename(from, to)) {
                throw new IOException("could not move " + from + " into " + live);
            }
        }
        if (!fs.rename(new Path(staged, SUCCESS), marker)) {
            throw new IOException("could not move the staged " + SUCCESS + " of " + staged + " into place");
        }
    }

    /**
     * Object stores: a staged pass whose {@code _SUCCESS} was written (so every file it lists was
     * closed before) may have been published in part; it is published the rest of the way. Returns
     * false for a pass that never got that far, which is dropped like a leftover.
     */
    private boolean rollForward(Path stagedPass) throws IOException {
        Path stagedMarker = new Path(stagedPass, SUCCESS);
        if (!fs.exists(stagedMarker)) {
            return false;
        }
        List<String> files;
        String table;
        try (java.io.InputStream in = fs.open(stagedMarker)) {
            com.fasterxml.jackson.databind.JsonNode marker = LakeJson.MAPPER.readTree(in);
            if (marker == null
                    || !marker.path("table").isTextual()
                    || !marker.path("files").isArray()) {
                return false;
            }
            table = marker.path("table").asText();
            files = new ArrayList<>();
            marker.path("files").forEach(f -> files.add(f.asText()));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return false; // cut short by the crash: on a real object store an unfinished upload is never visible
        }
        Path live = layout.curatedHour(table, EventHour.parse(stagedPass.toString()));
        publishFileByFile(stagedPass, live, files);
        LOG.warn("published {} from an interrupted compaction pass", live);
        return true;
    }

    /** Repairs what a crashed pass left: removes staged leftovers, restores hours an earlier protocol moved aside. */
    private void recoverInterruptedPasses() {
        try {
            FileStatus[] leftovers =
                    fs.globStatus(new Path(layout.root(), LakeLayout.STAGING + "/*/year=*/month=*/day=*/hour=*/*"));
            if (leftovers == null) {
                return;
            }
            for (FileStatus leftover : leftovers) {
                Path path = leftover.getPath();
                if (!atomicDirectoryRename && rollForward(path)) {
                    fs.delete(path, true);
                    continue;
                }
                if (path.getName().endsWith(OLD_SUFFIX)) {
                    String table = LakeLayout.tableOfHour(path.getParent());
                    Path live = layout.curatedHour(table, EventHour.parse(path.toString()));
                    if (!fs.exists(live)) {
                        fs.mkdirs(live.getParent());
                        fs.rename(path, live);
                        LOG.warn("restored {} from an interrupted compaction pass", live);
                        continue;
                    }
                }
                fs.delete(path, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair interrupted compaction passes", e);
        }
    }
}
