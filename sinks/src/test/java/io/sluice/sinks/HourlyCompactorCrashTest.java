package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sluice.sinks.CrashingFileSystem.CrashingLake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crashes a compaction pass at every file-system operation it makes, one run per operation, and
 * checks the commit protocol's promises at that moment and after the next, clean pass: a reader
 * sees the hour's old rows or its new rows (never some, never one twice), {@code _SUCCESS} only
 * describing the files beside it, and the next pass ends with every row exactly once, its tier-0
 * objects gone and the same marker a pass without a crash writes.
 */
class HourlyCompactorCrashTest {
    private static final String HOUR = "curated/shop_users/year=2026/month=11/day=22/hour=03";
    private static final String DDL = "_ddl/shop_users.sql";

    /** One configuration for the hundreds of lakes opened here: loading one costs more than a pass. */
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    /** How many Parquet files the compactor makes of the hour: the commit differs with one and with several. */
    enum FileLayout {
        ONE_FILE_PER_HOUR(CompactionSettings.DEFAULT),
        A_FILE_PER_ROW(new CompactionSettings(Duration.ZERO, 1, 1 << 20, CompressionCodecName.SNAPPY));

        final CompactionSettings settings;

        FileLayout(CompactionSettings settings) {
            this.settings = settings;
        }
    }

    @ParameterizedTest
    @EnumSource(FileLayout.class)
    void firstCompactionCrashedAtAnyOperationShowsNoHourOrAllOfItAndTheNextPassCompletesIt(FileLayout layout) {
        crashAtEveryOperation(new Scenario(layout, false, false));
    }

    @ParameterizedTest
    @EnumSource(FileLayout.class)
    void lateMergeCrashedAtAnyOperationShowsTheOldHourOrTheNewOneAndTheNextPassCompletesIt(FileLayout layout) {
        crashAtEveryOperation(new Scenario(layout, true, false));
    }

    /**
     * The object-store protocol (file by file, {@code _SUCCESS} last, rolled forward after a crash), run
     * over the crashing local file system: a reader may see part of a new multi-file hour, never a row
     * twice, and a {@code _SUCCESS} only over all of it; the next pass ends exactly as a clean one.
     */
    @ParameterizedTest
    @EnumSource(FileLayout.class)
    void firstCompactionOnAnObjectStoreCrashedAtAnyOperationShowsNoRowTwiceAndTheNextPassCompletesIt(
            FileLayout layout) {
        crashAtEveryOperation(new Scenario(layout, false, true));
    }

    @ParameterizedTest
    @EnumSource(FileLayout.class)
    void lateMergeOnAnObjectStoreCrashedAtAnyOperationShowsTheOldHourOrTheNewOneAndTheNextPassCompletesIt(
            FileLayout layout) {
        crashAtEveryOperation(new Scenario(layout, true, true));
    }

    private void crashAtEveryOperation(Scenario scenario) {
        Path cleanLake = dir.resolve("clean");
        scenario.prepare(cleanLake);
        CrashingLake counted = CrashingFileSystem.lake(cleanLake, CrashingFileSystem.NEVER, CONF);
        scenario.compactor(counted.lake()).compact(hour -> true);
        String root = "file:" + cleanLake + "/";
        List<String> operations = counted.fs().operations().stream()
                .map(op -> op.replace(root, ""))
                .toList();
        HourView clean = HourView.of(cleanLake.resolve(HOUR));
        assertThat(clean.rows()).as("a pass without a crash").isEqualTo(scenario.newRows());
        assertThat(operations)
                .as("the pass's Parquet files and renames go through the wrapped file system")
                .anyMatch(op -> op.startsWith("create ") && op.endsWith(".parquet"))
                .anyMatch(op -> op.startsWith("close ") && op.endsWith(".parquet"))
                .anyMatch(op -> op.startsWith("rename "));
        System.out.printf("%s: %d operations in a clean pass%n", scenario, operations.size());

        Set<List<String>> seenAtCrashes = new HashSet<>();
        for (int n = 1; n <= operations.size(); n++) {
            if (!CrashingFileSystem.worthCrashingAt(operations.get(n - 1), n == operations.size())) {
                continue;
            }
            String crash = scenario + ", crash at operation " + n + " of " + operations.size() + " ("
                    + operations.get(n - 1) + ")";
            Path lake = dir.resolve("crash-" + n);
            scenario.prepare(lake);
            Map<String, String> published = filesIn(lake.resolve(HOUR));
            CrashingLake crashing = CrashingFileSystem.lake(lake, n, CONF);

            Throwable failure =
                    failureOf(() -> scenario.compactor(crashing.lake()).compact(hour -> true));

            assertThat(crashing.fs().crashed()).as(crash).isTrue();
            assertThat(causes(failure))
                    .as(crash + ": the pass fails")
                    .anyMatch(CrashingFileSystem.SimulatedCrash.class::isInstance);
            HourView atCrash = HourView.of(lake.resolve(HOUR));
            assertReaderSeesACommittedHour(atCrash, scenario, crash);
            seenAtCrashes.add(atCrash.rows());
            assertFilesUnchanged(lake.resolve(HOUR), published, crash);
            assertDdlCompleteIfPresent(lake, crash);

            scenario.compactor(LakeFileSystem.open(lake.toString(), CONF)).compact(hour -> true);

            String repaired = crash + ", then a clean pass";
            HourView after = HourView.of(lake.resolve(HOUR));
            assertThat(after.rows()).as(repaired).isEqualTo(scenario.newRows());
            assertThat(after.marker())
                    .as(repaired + ": the marker a pass without a crash writes")
                    .isEqualTo(clean.marker());
            assertThat(after.dataFiles()).as(repaired).isEqualTo(clean.dataFiles());
            assertThat(after.otherFiles()).as(repaired).isEmpty();
            assertFilesUnchanged(lake.resolve(HOUR), published, repaired);
            LakeFixture files = new LakeFixture(lake);
            assertThat(files.files("raw"))
                    .as(repaired + ": tier-0 objects that went in are gone")
                    .isEmpty();
            assertThat(files.files("_staging"))
                    .as(repaired + ": no staged leftovers")
                    .isEmpty();
            assertThat(lake.resolve(DDL))
                    .as(repaired + ": the table's DDL registers the hour")
                    .content()
                    .contains("ADD IF NOT EXISTS PARTITION (year=2026, month=11, day=22, hour=3)")
                    .endsWith("/hour=${hour}/');\n");
        }
        List<String> before = scenario.late ? scenario.oldRows() : List.of();
        if (scenario.objectStore && !scenario.late && scenario.layout == FileLayout.A_FILE_PER_ROW) {
            assertThat(seenAtCrashes)
                    .as(scenario + ": crashes before, during and after publishing were exercised")
                    .contains(before, scenario.newRows())
                    .hasSizeGreaterThan(2);
        } else {
            assertThat(seenAtCrashes)
                    .as(scenario + ": crashes before and after the commit point were both exercised")
                    .containsExactlyInAnyOrder(before, scenario.newRows());
        }
    }

    private static void assertReaderSeesACommittedHour(HourView view, Scenario scenario, String crash) {
        assertThat(view.otherFiles())
                .as(crash + ": nothing but Parquet files and _SUCCESS in the hour")
                .isEmpty();
        List<List<String>> committed = scenario.late
                ? List.of(scenario.oldRows(), scenario.newRows())
                : List.of(List.of(), scenario.newRows());
        if (scenario.objectStore && !scenario.late) {
            // a new hour published file by file: some of its files may show before the last, never a row twice
            assertThat(view.rows()).as(crash + ": no row twice").doesNotHaveDuplicates();
            assertThat(scenario.newRows())
                    .as(crash + ": only rows of the new hour")
                    .containsAll(view.rows());
        } else {
            assertThat(committed)
                    .as(crash + ": the rows a reader sees are the old hour's or the new one's; they were "
                            + view.rows())
                    .contains(view.rows());
        }
        view.marker().ifPresent(marker -> {
            assertThat(marker.files())
                    .as(crash + ": _SUCCESS lists the files present")
                    .isEqualTo(view.dataFiles());
            assertThat(marker.rows())
                    .as(crash + ": _SUCCESS counts the rows present")
                    .isEqualTo(view.rows().size());
            assertThat(committed)
                    .as(crash + ": _SUCCESS only with a complete hour")
                    .contains(view.rows());
            assertThat(view.rows())
                    .as(crash + ": _SUCCESS only with a complete hour")
                    .isNotEmpty();
        });
    }

    /**
     * A committed file is never removed, and never rewritten but the hour's last, which a late pass
     * may replace whole (the rows a reader sees are checked apart): the hour never grows a trail of files.
     */
    private static void assertFilesUnchanged(Path hourDir, Map<String, String> published, String when) {
        Map<String, String> now = filesIn(hourDir);
        String last = published.keySet().stream()
                .filter(name -> name.endsWith(".parquet"))
                .max(String::compareTo)
                .orElse(null);
        published.forEach((name, digest) -> {
            if (name.equals(last)) {
                assertThat(now).as(when + ": " + name + " is still there").containsKey(name);
            } else if (name.endsWith(".parquet")) {
                assertThat(now)
                        .as(when + ": " + name + " is still there, unchanged")
                        .containsEntry(name, digest);
            }
        });
    }

    /** DDL is rewritten after every pass; a crash must not leave a truncated statement behind. */
    private static void assertDdlCompleteIfPresent(Path lake, String when) {
        Path ddl = lake.resolve(DDL);
        if (Files.exists(ddl)) {
            try {
                assertThat(Files.readString(ddl))
                        .as(when + ": " + DDL + " is whole")
                        .startsWith("-- Sluice lake table shop_users")
                        .endsWith("/hour=${hour}/');\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The files of a directory by name, with a digest of their bytes. */
    private static Map<String, String> filesIn(Path hourDir) {
        Map<String, String> files = new HashMap<>();
        if (Files.isDirectory(hourDir)) {
            try (Stream<Path> entries = Files.list(hourDir)) {
                for (Path entry : entries.toList()) {
                    byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(entry));
                    files.put(entry.getFileName().toString(), HexFormat.of().formatHex(sha));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }

    /** What failed the pass: thrown, or (a crash inside the hour's compaction) reported as the hour's failure. */
    private static Throwable failureOf(java.util.function.Supplier<CompactionReport> pass) {
        CompactionReport[] report = new CompactionReport[1];
        Throwable thrown = catchThrowable(() -> report[0] = pass.get());
        if (thrown != null || report[0].failedHours().isEmpty()) {
            return thrown;
        }
        return report[0].failedHours().get(0).cause();
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
            chain.addAll(List.of(t.getSuppressed()));
        }
        return chain;
    }

    /**
     * The lake a crashed pass starts from. First compaction: hour 03 has tier-0 objects from two
     * partitions and a retried batch that repeats two rows. Late merge: that was compacted, and then
     * a late object and a retried one arrived, repeating one compacted row and adding three.
     */
    private record Scenario(FileLayout layout, boolean late, boolean objectStore) {
        HourlyCompactor compactor(LakeFileSystem lake) {
            // without the lease: a killed pass leaves its claim until it expires, and the protocol is what is tested
            // here
            return new HourlyCompactor(lake, layout.settings, !objectStore, false);
        }

        void prepare(Path lake) {
            LakeFileSystem fs = LakeFileSystem.open(lake.toString(), CONF);
            Tier0Writer writer = new Tier0Writer(fs);
            writer.write(List.of(row(0, 0, 1, "gold"), row(0, 1, 2, "silver"), row(0, 2, 3, null)));
            writer.write(List.of(row(1, 0, 4, "gold"), row(1, 1, 5, "bronze")));
            writer.write(List.of(row(0, 1, 2, "silver"), row(0, 2, 3, null)));
            if (late) {
                compactor(fs).compact(hour -> true);
                writer.write(List.of(row(0, 3, 6, "gold"), row(0, 4, 7, "silver")));
                writer.write(List.of(row(1, 1, 5, "bronze"), row(1, 2, 8, null)));
            }
        }

        List<String> oldRows() {
            return sorted(
                    HourView.row(0, 0, 1),
                    HourView.row(0, 1, 2),
                    HourView.row(0, 2, 3),
                    HourView.row(1, 0, 4),
                    HourView.row(1, 1, 5));
        }

        List<String> newRows() {
            List<String> rows = new ArrayList<>(oldRows());
            if (late) {
                rows.addAll(List.of(HourView.row(0, 3, 6), HourView.row(0, 4, 7), HourView.row(1, 2, 8)));
            }
            rows.sort(null);
            return rows;
        }

        @Override
        public String toString() {
            return (late ? "late merge" : "first compaction") + ", " + layout
                    + (objectStore ? ", published file by file" : "");
        }

        private static LakeRecord row(int partition, long offset, int id, String tier) {
            return CuratedRow.at(String.format("2026-11-22T03:%02d:00Z", id * 7 % 60))
                    .offset(partition, offset)
                    .with("id", id)
                    .with("tier", tier)
                    .with("amount", id * 1.25)
                    .record();
        }

        private static List<String> sorted(String... rows) {
            List<String> list = new ArrayList<>(List.of(rows));
            list.sort(null);
            return list;
        }
    }
}
