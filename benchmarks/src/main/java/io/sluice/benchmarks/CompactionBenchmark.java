package io.sluice.benchmarks;

import io.sluice.sinks.CompactionReport;
import io.sluice.sinks.CompactionSettings;
import io.sluice.sinks.EventHour;
import io.sluice.sinks.HourlyCompactor;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.LakeRecord;
import io.sluice.sinks.Tier0Writer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * The hourly compactor against a bare parquet-java writer on the same rows: ROWS curated MMP events
 * (25 columns) spread over one hour, written as tier-0 Avro objects the way the lake sink
 * writes them (batches of 10,000 records over 3 partitions), compacted by {@link HourlyCompactor}
 * into Snappy Parquet; and the same rows, already in memory as Avro records of the schema the
 * compactor inferred and in its row order, written by {@code AvroParquetWriter} (Snappy,
 * dictionary, same row group size) to a local file. Each iteration prepares a fresh lake (not
 * timed), then times one compaction pass and one bare write; the first WARMUP iterations are
 * discarded. The target is a compactor at 70% or more of the bare writer's rows/s.
 *
 * <p>Run (after {@code mvn -B -ntp package -DskipTests}):
 * {@code java -Xms20g -Xmx20g -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.CompactionBenchmark 5000000 1 3 12}
 * (ROWS WARMUP MEASURED COLUMNS; the bare writer's records are held in memory, hence the heap); add
 * {@code compactor-only} as a fifth argument to time the compactor alone, in as small a heap as it needs.
 * Figures in docs/performance.md
 */
public final class CompactionBenchmark {
    private static final int BATCH = 10_000;
    private static final int PARTITIONS = 3;
    /** What a curated MMP event weighs on its topic; only the flush policy counts it, which the benchmark does not use. */
    private static final int APPROXIMATE_VALUE_BYTES = 600;

    private static final EventHour HOUR = EventHour.parseIso("2026-11-22T03");

    private CompactionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int columns = args.length > 3 ? Integer.parseInt(args[3]) : CuratedRows.ALL_COLUMNS;
        // the compactor alone: shows the heap a pass needs, which the bare writer's records in memory would hide
        boolean compactorOnly = args.length > 4 && args[4].equals("compactor-only");
        Path dir = Files.createTempDirectory("sluice-compaction-bench-");
        System.out.printf(
                "%,d rows of %d columns in one hour; %d warm-up + %d measured iterations; %d cores, max heap %,d MB%n",
                rows,
                columns,
                warmup,
                measured,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        // generated anew where needed (same seed, same rows), not kept: at millions of rows they would crowd the
        // passes' heap
        CuratedRows tier0Values = new CuratedRows(rows, columns);
        double[] compactor = new double[measured];
        double[] bare = new double[measured];
        double[] compactorPerCpu = new double[measured];
        double[] barePerCpu = new double[measured];
        for (int i = 0; i < warmup + measured; i++) {
            Path lakeDir = dir.resolve("lake-" + i);
            LakeFileSystem lake = LakeFileSystem.open(lakeDir.toString());
            long tier0Bytes = writeTier0(lake, tier0Values);
            System.gc();

            long started = System.nanoTime();
            long cpuStarted = processCpuNanos();
            CompactionReport report = new HourlyCompactor(lake, CompactionSettings.DEFAULT).compact(hour -> true);
            double compactSeconds = (System.nanoTime() - started) / 1e9;
            double compactCpu = (processCpuNanos() - cpuStarted) / 1e9;
            long compacted = report.hours().stream()
                    .mapToLong(CompactionReport.HourResult::rows)
                    .sum();
            if (compacted != rows) {
                throw new IllegalStateException("compacted " + compacted + " rows, expected " + rows);
            }
            Path hourDir = lakeDir.resolve("curated/mmp_events").resolve(HOUR.partitionPath());
            Path compactedFile = hourDir.resolve("part-00000.snappy.parquet");
            long compactedBytes = parquetBytes(hourDir); // an hour above targetFileSize rolls into several files
            if (compactorOnly) {
                System.out.printf(
                        "%s %d: compactor %,9.0f rows/s, %,9.0f rows/CPU-s, %5.1f MB/s Parquet (%.2f s, %.2f CPU-s) with a max heap of %,d MB%n",
                        i >= warmup ? "iteration" : "warm-up  ",
                        i + 1,
                        rows / compactSeconds,
                        rows / compactCpu,
                        compactedBytes / 1e6 / compactSeconds,
                        compactSeconds,
                        compactCpu,
                        Runtime.getRuntime().maxMemory() >> 20);
                deleteRecursively(lakeDir);
                continue;
            }
            // built now, not kept: a heap holding them would make the compactor's garbage collection dearer
            List<GenericRecord> bareRecords = asRecords(tier0Values, schemaOf(compactedFile, lake.conf()));
            System.gc();
            Path bareFile = dir.resolve("bare-" + i + ".snappy.parquet");
            started = System.nanoTime();
            cpuStarted = processCpuNanos();
            writeBare(bareRecords, bareFile);
            double bareSeconds = (System.nanoTime() - started) / 1e9;
            double bareCpu = (processCpuNanos() - cpuStarted) / 1e9;
            bareRecords = null; // unreachable before the next compaction, even to the interpreter

            boolean warm = i >= warmup;
            if (warm) {
                compactor[i - warmup] = rows / compactSeconds;
                bare[i - warmup] = rows / bareSeconds;
                compactorPerCpu[i - warmup] = rows / compactCpu;
                barePerCpu[i - warmup] = rows / bareCpu;
            }
            System.out.printf(
                    "%s %d: compactor %,9.0f rows/s, %,9.0f rows/CPU-s, %5.1f MB/s Parquet (%.2f s, %.2f CPU-s, %,d tier-0 bytes "
                            + "in %d objects -> %,d B)   bare writer %,9.0f rows/s, %,9.0f rows/CPU-s (%.2f s, %.2f CPU-s -> %,d B)   "
                            + "ratio %.2f%n",
                    warm ? "iteration" : "warm-up  ",
                    warm ? i - warmup + 1 : i + 1,
                    rows / compactSeconds,
                    rows / compactCpu,
                    compactedBytes / 1e6 / compactSeconds,
                    compactSeconds,
                    compactCpu,
                    tier0Bytes,
                    rows / BATCH * PARTITIONS,
                    compactedBytes,
                    rows / bareSeconds,
                    rows / bareCpu,
                    bareSeconds,
                    bareCpu,
                    Files.size(bareFile),
                    bareSeconds / compactSeconds);
            deleteRecursively(lakeDir);
            Files.delete(bareFile);
        }
        if (compactorOnly) {
            deleteRecursively(dir);
            return;
        }
        double c = median(compactor);
        double b = median(bare);
        System.out.printf(
                "median: compactor %,.0f rows/s, bare writer %,.0f rows/s, compactor/bare %.0f%% (target >= 70%%); "
                        + "per CPU-second (GC and JIT threads included): compactor %,.0f rows, bare writer %,.0f rows%n",
                c, b, 100 * c / b, median(compactorPerCpu), median(barePerCpu));
        deleteRecursively(dir);
    }

    private static long parquetBytes(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".parquet"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    /** CPU time of the whole process, all threads: the work of a pass includes its garbage collection. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * The rows as the lake sink receives them from the curated topic, the same ones each time they are walked: all 26
     * columns, or the first {@code columns - 1} of them and the event time.
     */
    private record CuratedRows(int size, int columns) {
        static final int ALL_COLUMNS = 26;

        void forEach(java.util.function.ObjIntConsumer<Map<String, Object>> action) {
            CuratedMmpEvents events = new CuratedMmpEvents(42, HOUR.startMs(), Math.max(1, size / 20));
            for (int n = 0; n < size; n++) {
                Map<String, Object> row = events.event(n, size);
                if (columns < ALL_COLUMNS) {
                    Object eventTime = row.remove("__event_time");
                    row.keySet().retainAll(new ArrayList<>(row.keySet()).subList(0, columns - 1));
                    row.put("__event_time", eventTime);
                }
                action.accept(row, n);
            }
        }
    }

    /** Tier-0 objects as the lake sink writes them: a batch at a time, the records round-robin over partitions. */
    private static long writeTier0(LakeFileSystem lake, CuratedRows values) {
        Tier0Writer writer = new Tier0Writer(lake);
        long[] bytes = {0};
        long[] offsets = new long[PARTITIONS];
        List<LakeRecord> batch = new ArrayList<>(BATCH);
        values.forEach((row, n) -> {
            int partition = n % PARTITIONS;
            batch.add(new LakeRecord(
                    "curated.mmp.events",
                    "mmp_events",
                    partition,
                    offsets[partition]++,
                    HOUR.startMs(),
                    row,
                    APPROXIMATE_VALUE_BYTES));
            if (batch.size() == BATCH || n == values.size() - 1) {
                for (Tier0Writer.Tier0Object object : writer.write(batch)) {
                    bytes[0] += object.bytes();
                }
                batch.clear();
            }
        });
        return bytes[0];
    }

    private static Schema schemaOf(Path parquetFile, Configuration conf) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(parquetFile.toUri()), conf))) {
            return new Schema.Parser()
                    .parse(reader.getFooter()
                            .getFileMetaData()
                            .getKeyValueMetaData()
                            .get("parquet.avro.schema"));
        }
    }

    /** The same rows as Avro records of the compactor's schema, in the compactor's order (event time, partition, offset). */
    private static List<GenericRecord> asRecords(CuratedRows values, Schema schema) {
        List<GenericRecord> records = new ArrayList<>(values.size());
        long[] offsets = new long[PARTITIONS];
        values.forEach((generated, n) -> {
            Map<String, Object> row = new java.util.HashMap<>(generated);
            row.put("__kafka_partition", (long) (n % PARTITIONS));
            row.put("__kafka_offset", offsets[n % PARTITIONS]++);
            GenericData.Record record = new GenericData.Record(schema);
            for (Schema.Field field : schema.getFields()) {
                Object value = row.get(field.name());
                Schema.Type type = field.schema().getTypes().get(1).getType();
                record.put(
                        field.pos(),
                        value == null
                                ? null
                                : switch (type) {
                                    case LONG -> ((Number) value).longValue();
                                    case DOUBLE -> ((Number) value).doubleValue();
                                    default -> value.toString();
                                });
            }
            records.add(record);
        });
        records.sort(Comparator.<GenericRecord>comparingLong(r -> (Long) r.get("__event_time"))
                .thenComparingLong(r -> (Long) r.get("__kafka_partition"))
                .thenComparingLong(r -> (Long) r.get("__kafka_offset")));
        return records;
    }

    private static void writeBare(List<GenericRecord> records, Path file) throws IOException {
        // the raw local file system, as the lake's: no .crc file computed beside the Parquet file
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        CompactionSettings settings = CompactionSettings.DEFAULT;
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
                        HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))
                .withConf(conf)
                .withSchema(records.get(0).getSchema())
                .withCompressionCodec(settings.codec())
                .withRowGroupSize(settings.rowGroupSize())
                .withDictionaryEncoding(true)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (GenericRecord record : records) {
                writer.write(record);
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
