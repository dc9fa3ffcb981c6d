package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lake on {@code s3a://}, against an S3-compatible server on loopback: no directory renames, the same rows. */
class S3LakeTest {
    private static final String HOUR_03 = "curated/shop_users/year=2026/month=11/day=22/hour=03/";
    private static S3ProxyLake s3;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyLake.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void anS3aLakeHasNoAtomicDirectoryRename() {
        assertThat(s3.open("rename").hasAtomicDirectoryRename()).isFalse();
        assertThat(LakeFileSystem.open("/tmp/sluice-local-lake").hasAtomicDirectoryRename())
                .isTrue();
    }

    @Test
    void compactsAndMergesLateRowsIntoTheHoursFileOnS3ExactlyOnceWithMarkerDdlAndNoTier0Left() throws IOException {
        LakeFileSystem lake = s3.open("one-file");
        Tier0Writer writer = new Tier0Writer(lake);
        writer.write(List.of(row(0, 0, 1), row(0, 1, 2), row(1, 0, 3)));
        writer.write(List.of(row(0, 1, 2))); // a retried batch

        new HourlyCompactor(lake, CompactionSettings.DEFAULT).compact(hour -> true);

        assertThat(ids(lake)).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(marker(lake)).contains("\"rows\":3", "\"files\":[\"part-00000.snappy.parquet\"]");

        writer.write(List.of(row(0, 1, 2), row(0, 5, 7))); // late, repeating a compacted row
        new HourlyCompactor(lake, CompactionSettings.DEFAULT).compact(hour -> true);

        assertThat(ids(lake)).containsExactlyInAnyOrder(1L, 2L, 3L, 7L);
        assertThat(marker(lake))
                .as("the late row merged into the hour's one file, put over it")
                .contains("\"rows\":4", "\"files\":[\"part-00000.snappy.parquet\"]");
        assertThat(files(lake))
                .containsExactlyInAnyOrder(
                        HOUR_03 + "_SUCCESS", HOUR_03 + "part-00000.snappy.parquet", "_ddl/shop_users.sql");
        assertThat(text(lake, "_ddl/shop_users.sql"))
                .contains("ADD IF NOT EXISTS PARTITION (year=2026, month=11, day=22, hour=3) LOCATION 's3a://");
    }

    @Test
    void publishesAnHourOfSeveralFilesFileByFileWithTheMarkerListingThemAll() throws IOException {
        LakeFileSystem lake = s3.open("file-per-row");
        new Tier0Writer(lake).write(List.of(row(0, 0, 1), row(0, 1, 2), row(0, 2, 3)));
        CompactionSettings filePerRow = new CompactionSettings(Duration.ZERO, 1, 1 << 20, CompressionCodecName.SNAPPY);

        new HourlyCompactor(lake, filePerRow).compact(hour -> true);

        assertThat(ids(lake)).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(marker(lake))
                .contains(
                        "\"rows\":3",
                        "\"files\":[\"part-00000.snappy.parquet\",\"part-00001.snappy.parquet\",\"part-00002.snappy.parquet\"]");
        assertThat(files(lake))
                .filteredOn(f -> f.startsWith("raw/") || f.startsWith("_staging/"))
                .isEmpty();
    }

    /**
     * The crash loop on S3A itself: a new hour of three files, the pass crashed at each of its
     * file-system operations, then a clean pass. A reader may see some of the files before the last
     * (said so in the docs), never a row twice, and a _SUCCESS only over all three; the clean pass
     * ends with every row once, the marker of a pass without a crash, and no tier-0 or staged objects.
     */
    @Test
    void aFirstCompactionOnS3CrashedAtAnyOperationShowsNoRowTwiceAndTheNextPassCompletesIt() throws IOException {
        CompactionSettings filePerRow = new CompactionSettings(Duration.ZERO, 1, 1 << 20, CompressionCodecName.SNAPPY);
        LakeFileSystem clean = s3.open("crash-clean");
        new Tier0Writer(clean).write(List.of(row(0, 0, 1), row(0, 1, 2), row(0, 2, 3)));
        CrashingFileSystem.CrashingLake counted = CrashingFileSystem.over(clean, CrashingFileSystem.NEVER);
        new HourlyCompactor(counted.lake(), filePerRow, false, false).compact(hour -> true);
        int operations = counted.fs().operations().size();
        String cleanMarker = marker(clean);

        int partlyVisible = 0;
        for (int n = 1; n <= operations; n++) {
            String crash = "crash at operation " + n + " of " + operations + " ("
                    + counted.fs().operations().get(n - 1) + ")";
            LakeFileSystem lake = s3.open("crash-" + n);
            new Tier0Writer(lake).write(List.of(row(0, 0, 1), row(0, 1, 2), row(0, 2, 3)));
            CrashingFileSystem.CrashingLake crashing = CrashingFileSystem.over(lake, n);
            try {
                // without the lease, which a killed pass would leave behind until it expires
                new HourlyCompactor(crashing.lake(), filePerRow, false, false).compact(hour -> true);
            } catch (UncheckedIOException expected) {
                // the simulated crash (or, inside the hour, a failed hour in the report)
            }
            assertThat(crashing.fs().crashed()).as(crash).isTrue();
            List<Long> seen = ids(lake);
            assertThat(seen).as(crash + ": no row twice").doesNotHaveDuplicates();
            assertThat(List.of(1L, 2L, 3L)).as(crash).containsAll(seen);
            if (files(lake).contains(HOUR_03 + HourlyCompactor.SUCCESS)) {
                assertThat(seen)
                        .as(crash + ": _SUCCESS only over the whole hour")
                        .hasSize(3);
            }
            if (!seen.isEmpty() && seen.size() < 3) {
                partlyVisible++;
            }

            new HourlyCompactor(lake, filePerRow, false, false).compact(hour -> true);

            assertThat(ids(lake)).as(crash + ", then a clean pass").containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(marker(lake)).as(crash + ", then a clean pass").isEqualTo(cleanMarker);
            assertThat(files(lake))
                    .as(crash + ", then a clean pass")
                    .filteredOn(f -> f.startsWith("raw/") || f.startsWith("_staging/"))
                    .isEmpty();
        }
        assertThat(partlyVisible)
                .as("crashes between publishing the first file and the last were exercised")
                .isPositive();
    }

    private static LakeRecord row(int partition, long offset, int id) {
        return CuratedRow.at(String.format("2026-11-22T03:%02d:00Z", id))
                .offset(partition, offset)
                .with("id", id)
                .record();
    }

    /** The ids of every Parquet row of hour 03, read with parquet-avro through the lake's file system. */
    private static List<Long> ids(LakeFileSystem lake) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (String file : files(lake)) {
            if (file.startsWith(HOUR_03) && file.endsWith(".parquet")) {
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                                HadoopInputFile.fromPath(new Path(lake.root(), file), lake.conf()))
                        .withConf(lake.conf())
                        .build()) {
                    for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                        ids.add((Long) r.get("id"));
                    }
                }
            }
        }
        return ids;
    }

    private static String marker(LakeFileSystem lake) throws IOException {
        return text(lake, HOUR_03 + HourlyCompactor.SUCCESS);
    }

    private static String text(LakeFileSystem lake, String relative) throws IOException {
        try (InputStream in = lake.fs().open(new Path(lake.root(), relative))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Every object under the lake, relative to its root. */
    private static List<String> files(LakeFileSystem lake) {
        List<String> files = new ArrayList<>();
        String root = lake.root().toString() + "/";
        try {
            RemoteIterator<LocatedFileStatus> it = lake.fs().listFiles(lake.root(), true);
            while (it.hasNext()) {
                files.add(it.next().getPath().toString().substring(root.length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
