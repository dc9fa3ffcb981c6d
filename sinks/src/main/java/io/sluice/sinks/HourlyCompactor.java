package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls each closed table-hour's tier-0 objects into Snappy Parquet under
 * {@code curated/<table>/year=/month=/day=/hour=}.
 *
 * <p>Commit protocol, for one table-hour: (1) read the hour's tier-0 objects and the rows already
 * compacted for it; drop repeated rows by (partition, offset), which makes the pass idempotent;
 * (2) write the new Parquet files to {@code _staging/<table>/<hour>/<pass>/}, outside the trees
 * that query engines read; (3) move the live hour directory aside to {@code <pass>.old}, move the
 * staged directory into its place, delete the old one (each move is one atomic rename on local and
 * HDFS file systems); (4) only then delete the tier-0 objects that went in. A reader therefore sees
 * the old hour or the new one, never a half-written hour or a row twice; a pass that crashes is
 * repaired by the next one, which first restores any {@code .old} directory whose replacement never
 * arrived and removes staged leftovers, then redoes the work with the same result. One compactor
 * runs per lake at a time.
 */
public final class HourlyCompactor {
    private static final Logger LOG = LoggerFactory.getLogger(HourlyCompactor.class);
    private static final String OLD_SUFFIX = ".old";
    /** The completeness marker of a committed hour. */
    public static final String SUCCESS = "_SUCCESS";

    private final FileSystem fs;
    private final LakeLayout layout;
    private final ParquetHourWriter writer;

    /** A compactor over a lake. */
    public HourlyCompactor(LakeFileSystem lake, CompactionSettings settings) {
        this.fs = lake.fs();
        this.layout = lake.layout();
        this.writer = new ParquetHourWriter(lake.conf(), settings);
    }

    /**
     * One pass: compacts every table-hour that has new tier-0 objects and is closed.
     *
     * @param isClosed which hours may be compacted now (closed plus grace, or everything when the
     *                 input is known to be complete)
     */
    public CompactionReport compact(java.util.function.Predicate<EventHour> isClosed) {
        long started = System.nanoTime();
        recoverInterruptedPasses();
        List<CompactionReport.HourResult> done = new ArrayList<>();
        int open = 0;
        for (Map.Entry<TableHour, List<Path>> pending : pendingObjects().entrySet()) {
            TableHour th = pending.getKey();
            if (!isClosed.test(th.hour())) {
                open++;
                continue;
            }
            done.add(compactHour(th.table(), th.hour(), pending.getValue()));
        }
        if (!done.isEmpty()) {
            new LakeDdl(new LakeFileSystem(fs, fs.getConf(), layout.root())).writeAll();
        }
        return new CompactionReport(done, open, Duration.ofNanos(System.nanoTime() - started));
    }

    private CompactionReport.HourResult compactHour(String table, EventHour hour, List<Path> objects) {
        Path live = layout.curatedHour(table, hour);
        Map<RowId, Map<String, Object>> rows = new LinkedHashMap<>();
        Schema existing = readCompacted(live, rows);
        int before = rows.size();
        for (Path object : objects) {
            readTier0(object, rows);
        }
        List<Map<String, Object>> ordered = new ArrayList<>(rows.values());
        ordered.sort(ROW_ORDER);
        LakeSchema schema = LakeSchema.startingFrom(existing);
        ordered.forEach(schema::observe);

        String pass = UUID.randomUUID().toString();
        Path staged = new Path(layout.stagingHour(table, hour), pass);
        try {
            List<Path> files = writer.write(staged, table, schema, ordered);
            writeSuccessMarker(staged, table, hour, ordered.size(), files);
            commit(staged, live, new Path(layout.stagingHour(table, hour), pass + OLD_SUFFIX));
            for (Path object : objects) {
                fs.delete(object, false);
            }
            fs.delete(layout.stagingHour(table, hour), true);
            LOG.info("compacted {} hour {}: {} rows ({} new) into {} file(s) from {} tier-0 object(s)",
                    table, hour, ordered.size(), ordered.size() - before, files.size(), objects.size());
            return new CompactionReport.HourResult(table, hour, files.size(), ordered.size(), ordered.size() - before);
        } catch (IOException e) {
            throw new UncheckedIOException("compaction of " + table + " hour " + hour + " failed; re-run to repair", e);
        }
    }

    /**
     * {@code _SUCCESS} in the hour directory, committed with it: tools that wait for a completeness
     * marker find it, and what it lists (rows, files) is a pure function of the rows, so a re-run
     * writes the same marker. Hidden from engines by its leading underscore and missing suffix.
     */
    private void writeSuccessMarker(Path dir, String table, EventHour hour, int rows, List<Path> files) throws IOException {
        StringBuilder json = new StringBuilder("{\"table\":\"").append(table).append("\",\"hour\":\"").append(hour.partitionPath())
                .append("\",\"rows\":").append(rows).append(",\"files\":[");
        for (int i = 0; i < files.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(files.get(i).getName()).append('"');
        }
        json.append("]}\n");
        try (java.io.OutputStream out = fs.create(new Path(dir, SUCCESS), true)) {
            out.write(json.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void commit(Path staged, Path live, Path aside) throws IOException {
        boolean hadLive = fs.exists(live);
        if (hadLive && !fs.rename(live, aside)) {
            throw new IOException("could not move " + live + " aside");
        }
        fs.mkdirs(live.getParent());
        if (!fs.rename(staged, live)) {
            throw new IOException("could not move " + staged + " into place");
        }
        if (hadLive) {
            fs.delete(aside, true);
        }
    }

    /** Repairs what a crashed pass left: restores hours moved aside, removes staged leftovers. */
    private void recoverInterruptedPasses() {
        try {
            FileStatus[] leftovers = fs.globStatus(new Path(layout.root(), LakeLayout.STAGING + "/*/year=*/month=*/day=*/hour=*/*"));
            if (leftovers == null) {
                return;
            }
            for (FileStatus leftover : leftovers) {
                Path path = leftover.getPath();
                if (path.getName().endsWith(OLD_SUFFIX)) {
                    String table = path.getParent().getParent().getParent().getParent().getParent().getName();
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

    private Map<TableHour, List<Path>> pendingObjects() {
        Map<TableHour, List<Path>> pending = new TreeMap<>();
        try {
            FileStatus[] files = fs.globStatus(new Path(layout.rawRoot(), "*/year=*/month=*/day=*/hour=*/*" + Tier0Writer.EXTENSION));
            if (files == null) {
                return pending;
            }
            for (FileStatus file : files) {
                Path path = file.getPath();
                if (path.getName().startsWith(Tier0Writer.IN_PROGRESS_PREFIX)) {
                    continue;
                }
                String table = path.getParent().getParent().getParent().getParent().getParent().getName();
                pending.computeIfAbsent(new TableHour(table, EventHour.parse(path.toString())), k -> new ArrayList<>()).add(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list tier-0 objects", e);
        }
        pending.values().forEach(list -> list.sort(Comparator.comparing(Path::getName)));
        return pending;
    }

    private Schema readCompacted(Path live, Map<RowId, Map<String, Object>> rows) {
        try {
            if (!fs.exists(live)) {
                return null;
            }
            Schema schema = null;
            FileStatus[] files = fs.globStatus(new Path(live, "*" + ParquetHourWriter.EXTENSION));
            java.util.Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
            for (FileStatus file : files) {
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(file.getPath(), fs.getConf())).build()) {
                    for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                        schema = record.getSchema();
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (Schema.Field field : schema.getFields()) {
                            Object value = record.get(field.pos());
                            row.put(field.name(), fromParquet(value));
                        }
                        rows.putIfAbsent(RowId.of(row, rows.size()), row);
                    }
                }
            }
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read compacted hour " + live, e);
        }
    }

    private static Object fromParquet(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        return value;
    }

    private void readTier0(Path object, Map<RowId, Map<String, Object>> rows) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(object), StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> parsed;
                try {
                    parsed = LakeJson.MAPPER.readValue(line, MAP_TYPE);
                } catch (IOException e) {
                    throw new IOException("line " + lineNo + " of " + object + " is not a JSON object");
                }
                Map<String, Object> row = withAvroNames(parsed);
                rows.putIfAbsent(RowId.of(row, rows.size()), row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tier-0 object " + object, e);
        }
    }

    private static Map<String, Object> withAvroNames(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>(row.size() * 2);
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, Object> column : row.entrySet()) {
            String name = LakeSchema.avroName(column.getKey());
            for (int n = 2; !used.add(name); n++) {
                name = LakeSchema.avroName(column.getKey()) + "_" + n;
            }
            out.put(name, column.getValue());
        }
        return out;
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>> MAP_TYPE =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    private static final Comparator<Map<String, Object>> ROW_ORDER = Comparator
            .comparingLong((Map<String, Object> r) -> number(r.get(CuratedFields.EVENT_TIME)))
            .thenComparingLong(r -> number(r.get(CuratedFields.KAFKA_PARTITION)))
            .thenComparingLong(r -> number(r.get(CuratedFields.KAFKA_OFFSET)));

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.MIN_VALUE;
    }

    private record TableHour(String table, EventHour hour) implements Comparable<TableHour> {
        @Override
        public int compareTo(TableHour o) {
            int c = table.compareTo(o.table);
            return c != 0 ? c : hour.compareTo(o.hour);
        }
    }

    /** A row's identity: its curated-topic coordinates; rows without them are never merged. */
    private record RowId(long partition, long offset, long ordinal) {
        static RowId of(Map<String, Object> row, long ordinal) {
            if (row.get(CuratedFields.KAFKA_PARTITION) instanceof Number p && row.get(CuratedFields.KAFKA_OFFSET) instanceof Number o) {
                return new RowId(p.longValue(), o.longValue(), -1);
            }
            return new RowId(-1, -1, ordinal);
        }
    }
}
