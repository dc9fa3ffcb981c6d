package io.sluice.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.SluiceConfig;
import io.sluice.runtime.ClientProperties;
import io.sluice.runtime.SluicePipeline;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.sinks.CompactionReport;
import io.sluice.sinks.CompactionSettings;
import io.sluice.sinks.HourlyCompactor;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.LakeMetrics;
import io.sluice.sinks.LakeSink;
import io.sluice.sinks.Tier0Buffer;
import io.sluice.sinks.Tier0Format;
import io.sluice.sinks.Tier0Writer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lake steps (h) and (i) on the same rows: the curated, aggregate and dimension rows of the
 * last Kafka Streams step are written to tier 0 by the lake sink (not measured), then written as
 * Parquet once by a bare parquet-java writer and once by the hourly compactor.
 */
final class LakeSteps {
    private final Path lakeDir;
    private final CompactionSettings compaction;
    private final long brokerPid;

    LakeSteps(Path lakeDir, CompactionSettings compaction, long brokerPid) {
        this.lakeDir = lakeDir;
        this.compaction = compaction;
        this.brokerPid = brokerPid;
    }

    /**
     * Writes the step's output topics to tier 0 with the lake sink and waits until it has committed
     * their end. Always Avro tier 0, the default, which the bare writer reads as well.
     */
    void fillTier0(SluiceConfig step, SchemaRegistry registry, BenchTopics topics, Duration timeout)
            throws InterruptedException {
        var tables = SluicePipeline.lakeTables(step);
        String group = step.applicationId() + SluicePipeline.LAKE_GROUP_SUFFIX;
        Tier0Buffer.FlushPolicy flush = new Tier0Buffer.FlushPolicy(
                step.lake().flush().maxRecords(), step.lake().flush().maxBytes(), Duration.ofSeconds(1));
        LakeFileSystem lake = LakeFileSystem.open(lakeDir.toUri().toString());
        try (LakeSink sink = new LakeSink(
                ClientProperties.consumer(step.kafkaProperties(System.getenv())),
                group,
                tables,
                SluicePipeline.lakeUpsertKeys(step),
                SluicePipeline.lakeCurrentTables(step),
                new Tier0Writer(lake, Tier0Format.AVRO),
                flush,
                new LakeMetrics(new SimpleMeterRegistry()),
                registry,
                lake,
                LakeSink.ClusterStatus.IGNORED)) {
            sink.start();
            topics.awaitCaughtUp(group, new ArrayList<>(tables.keySet()), timeout, () -> {
                if (sink.failure() != null) {
                    throw new IllegalStateException(
                            "the lake sink failed while preparing the lake steps", sink.failure());
                }
            });
        }
    }

    /** Step (h): the bare writer over the tier-0 rows, after an unmeasured warm-up pass over one table-hour. */
    StepResult bareWriter() throws IOException {
        BareParquetWriter writer = new BareParquetWriter(lakeDir.resolve("raw"), compaction);
        Path out = lakeDir.resolve("bare-parquet");
        writer.warmUp(lakeDir.resolve("bare-warm-up"));
        StepMemory memory = StepMemory.start();
        DrainSample before = sample(0);
        long rows = writer.writeAll(out);
        DrainSample after = sample(rows);
        return new StepResult(
                LadderStep.BARE_PARQUET,
                DrainWindow.of(rows, List.of(before, after)),
                null,
                memory.figures(),
                bytes(out),
                -1,
                String.format(
                        java.util.Locale.ROOT,
                        "%,d rows from the lake sink's tier-0 objects, one Snappy file per table-hour.",
                        rows));
    }

    /** Step (i): one compaction pass over every hour, the input being complete. */
    StepResult compactor() {
        HourlyCompactor compactor =
                new HourlyCompactor(LakeFileSystem.open(lakeDir.toUri().toString()), compaction);
        StepMemory memory = StepMemory.start();
        DrainSample before = sample(0);
        CompactionReport report = compactor.compact(hour -> true);
        long rows = report.hours().stream()
                .mapToLong(CompactionReport.HourResult::rows)
                .sum();
        DrainSample after = sample(rows);
        return new StepResult(
                LadderStep.COMPACTOR,
                DrainWindow.of(rows, List.of(before, after)),
                null,
                memory.figures(),
                bytes(lakeDir.resolve("curated")),
                -1,
                String.format(
                        java.util.Locale.ROOT,
                        "%,d rows in %d table-hours: list tier 0, type columns from the objects' headers, read, sort and merge "
                                + "the objects as the write reaches them, drop repeats by (partition, offset), write, commit atomically.",
                        rows,
                        report.hours().size()));
    }

    private DrainSample sample(long processed) {
        return new DrainSample(
                System.nanoTime(),
                processed,
                ProcessStats.cpuNanos(ProcessHandle.current().pid()),
                ProcessStats.cpuNanos(brokerPid));
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".parquet"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
