package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sluice.sinks.CrashingFileSystem.CrashingLake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A late pass over a committed hour of a table kept as upserts, crashed at every file-system
 * operation: a reader sees each key's old row or its new one, never both and never neither (a
 * removed key: its old row or none; a new key: none or its row), and the next pass ends as a pass
 * without a crash does.
 */
class UpsertHourCrashTest {
    private static final Configuration CONF = new Configuration();
    private static final String TABLE = "dim_users_history";
    private static final String HOUR = "curated/" + TABLE + "/year=2026/month=11/day=22/hour=03";

    @TempDir
    Path dir;

    /** One file per hour or one per row (each key in a file of its own), published by renames or file by file. */
    enum Layout {
        ONE_FILE(CompactionSettings.DEFAULT, true),
        A_FILE_PER_ROW(new CompactionSettings(Duration.ZERO, 1, 1 << 20, CompressionCodecName.SNAPPY), true),
        A_FILE_PER_ROW_OBJECT_STORE(
                new CompactionSettings(Duration.ZERO, 1, 1 << 20, CompressionCodecName.SNAPPY), false);

        final CompactionSettings settings;
        final boolean atomicRename;

        Layout(CompactionSettings settings, boolean atomicRename) {
            this.settings = settings;
            this.atomicRename = atomicRename;
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aLatePassCrashedAnywhereShowsEachKeysOldRowOrItsNewOneAndTheNextPassCompletesIt(Layout layout) {
        Path prepared = dir.resolve("prepared");
        prepare(prepared, layout);
        Path cleanLake = copy(prepared, dir.resolve("clean"));
        CrashingLake counted = CrashingFileSystem.lake(cleanLake, CrashingFileSystem.NEVER, CONF);
        compactor(counted.lake(), layout).compact(hour -> true);
        List<String> operationNames = counted.fs().operations();
        int operations = operationNames.size();
        HourView clean = HourView.of(cleanLake.resolve(HOUR));
        Map<Integer, List<Long>> expected = Map.of(1, List.of(20L), 3, List.of(12L), 4, List.of(13L), 5, List.of(22L));
        assertThat(offsetsById(clean)).as("a pass without a crash").isEqualTo(expected);

        java.util.Set<Map<Integer, List<Long>>> seenAtCrashes = new java.util.HashSet<>();
        for (int n = 1; n <= operations; n++) {
            if (!CrashingFileSystem.worthCrashingAt(operationNames.get(n - 1), n == operations)) {
                continue;
            }
            String crash = layout + ", crash at operation " + n + " of " + operations;
            Path lake = copy(prepared, dir.resolve("crash-" + n));
            CrashingLake crashing = CrashingFileSystem.lake(lake, n, CONF);

            catchThrowable(() -> compactor(crashing.lake(), layout).compact(hour -> true));

            assertThat(crashing.fs().crashed()).as(crash).isTrue();
            Map<Integer, List<Long>> seen = offsetsById(HourView.of(lake.resolve(HOUR)));
            assertThat(seen.get(1)).as(crash + ": key 1, replaced").isIn(List.of(10L), List.of(20L));
            assertThat(seen.get(2)).as(crash + ": key 2, removed").isIn(null, List.of(11L));
            assertThat(seen.get(3)).as(crash + ": key 3, untouched").isEqualTo(List.of(12L));
            assertThat(seen.get(4)).as(crash + ": key 4, untouched").isEqualTo(List.of(13L));
            assertThat(seen.get(5)).as(crash + ": key 5, new").isIn(null, List.of(22L));
            seenAtCrashes.add(seen);

            compactor(LakeFileSystem.open(lake.toString(), CONF), layout).compact(hour -> true);

            HourView after = HourView.of(lake.resolve(HOUR));
            assertThat(offsetsById(after)).as(crash + ", then a clean pass").isEqualTo(expected);
            assertThat(after.marker()).as(crash + ", then a clean pass").isEqualTo(clean.marker());
            assertThat(new LakeFixture(lake).files("raw"))
                    .as(crash + ", then a clean pass")
                    .isEmpty();
        }
        assertThat(seenAtCrashes)
                .as("crashes before and after the keys' files were replaced were both exercised")
                .contains(Map.of(1, List.of(10L), 2, List.of(11L), 3, List.of(12L), 4, List.of(13L)), expected);
    }

    private static Path copy(Path from, Path to) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(from)) {
            for (Path file : files.toList()) {
                java.nio.file.Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return to;
    }

    /** Keys 1–4 compacted; then tier 0 holds key 1's new row, key 2's tombstone and a new key 5. */
    private static void prepare(Path lake, Layout layout) {
        LakeFileSystem fs = LakeFileSystem.open(lake.toString(), CONF);
        UpsertKeys.declare(fs, Map.of(TABLE, "scd_id"));
        Tier0Writer writer = new Tier0Writer(fs);
        writer.write(List.of(version(1, 10), version(2, 11), version(3, 12), version(4, 13)));
        compactor(fs, layout).compact(hour -> true);
        writer.write(List.of(version(1, 20), tombstone(2, 21), version(5, 22)));
    }

    private static HourlyCompactor compactor(LakeFileSystem lake, Layout layout) {
        return new HourlyCompactor(lake, layout.settings, layout.atomicRename, false);
    }

    private static LakeRecord version(int id, long offset) {
        return CuratedRow.at("2026-11-22T03:05:00Z")
                .table(TABLE)
                .offset(0, offset)
                .with("scd_id", "k" + id)
                .with("id", id)
                .record();
    }

    private static LakeRecord tombstone(int id, long offset) {
        return CuratedRow.at("2026-11-22T03:05:00Z")
                .table(TABLE)
                .offset(0, offset)
                .with("scd_id", "k" + id)
                .with("id", id)
                .with(UpsertKeys.RETRACTED, true)
                .record();
    }

    /** The offsets of the rows a reader sees, by id. */
    private static Map<Integer, List<Long>> offsetsById(HourView view) {
        Map<Integer, List<Long>> byId = new TreeMap<>();
        for (String row : view.rows()) { // "partition@offset id=N"
            long offset = Long.parseLong(row.substring(row.indexOf('@') + 1, row.indexOf(' ')));
            int id = Integer.parseInt(row.substring(row.indexOf("id=") + 3));
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(offset);
        }
        return byId;
    }
}
