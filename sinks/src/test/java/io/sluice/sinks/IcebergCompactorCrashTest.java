package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sluice.sinks.CrashingFileSystem.CrashingLake;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystemCacheForTests;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An Iceberg compaction pass crashed at every file-system operation — tier 0, data files, manifests, table
 * metadata, the commit, the deletes after it — on a local lake with the Hadoop catalog: a reader (Iceberg's generic
 * reader through a catalog of its own) sees the table before the pass or after it, never part of it and never a row
 * twice, and the next pass ends with the rows a pass without a crash gives. It crashes at every write (a crash at a
 * read leaves what the crash at the next write leaves); {@code -Dcrash.every.operation=true} at every operation.
 */
class IcebergCompactorCrashTest {
    private static final Configuration CONF = new Configuration();
    private static final TableIdentifier TABLE = TableIdentifier.of(Namespace.of("sluice"), "shop_users");
    /** Maintenance that expires nothing and finds no orphan old enough: the commit protocol is what is tested. */
    private static final IcebergMaintenance QUIET = new IcebergMaintenance(Duration.ofDays(1), 5, Duration.ofDays(1));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPassCrashedAtAnyOperationShowsTheTableBeforeOrAfterItAndTheNextPassCompletesIt(boolean late)
            throws Exception {
        Path prepared = dir.resolve("prepared");
        List<Long> before = prepare(prepared, late);
        List<Long> after = new ArrayList<>(before);
        after.addAll(late ? List.of(4L, 5L) : List.of(1L, 2L, 3L));
        after.sort(null);

        Path cleanLake = copy(prepared, dir.resolve("clean"));
        List<String> operations = crashAt(cleanLake, CrashingFileSystem.NEVER).operations();
        assertThat(ids(cleanLake)).as("a pass without a crash").isEqualTo(after);

        Set<List<Long>> seenAtCrashes = new HashSet<>();
        System.out.printf("%s: %d operations in a clean pass%n", late ? "late pass" : "first pass", operations.size());
        for (int n = 1; n <= operations.size(); n++) {
            if (!CrashingFileSystem.worthCrashingAt(operations.get(n - 1), n == operations.size())) {
                continue;
            }
            String crash = (late ? "late pass" : "first pass") + ", crash at operation " + n + " of "
                    + operations.size() + " (" + operations.get(n - 1) + ")";
            Path lake = copy(prepared, dir.resolve("crash-" + n));

            CrashingFileSystem crashed = crashAt(lake, n);

            assertThat(crashed.crashed()).as(crash).isTrue();
            List<Long> seen = ids(lake);
            System.out.println(crash + ": " + seen);
            assertThat(List.of(before, after))
                    .as(crash + ": the rows a reader sees were " + seen)
                    .contains(seen);
            seenAtCrashes.add(seen);

            compactor(LakeFileSystem.open(lake.toString(), CONF), catalog(lake)).compact(hour -> true);

            assertThat(ids(lake)).as(crash + ", then a clean pass").isEqualTo(after);
            assertThat(new LakeFixture(lake).files("raw"))
                    .as(crash + ", then a clean pass")
                    .isEmpty();
        }
        assertThat(seenAtCrashes)
                .as("crashes before and after the commit were both exercised")
                .containsExactlyInAnyOrder(before, after);
    }

    /** The first pass's tier 0 (two hours); for a late pass, that committed and then a late object and a retried one. */
    private static List<Long> prepare(Path lake, boolean late) throws Exception {
        LakeFileSystem fs = LakeFileSystem.open(lake.toString(), CONF);
        Tier0Writer writer = new Tier0Writer(fs);
        writer.write(List.of(row("03:05", 0, 1), row("03:01", 1, 2), row("04:10", 2, 3)));
        if (!late) {
            return List.of();
        }
        compactor(fs, catalog(lake)).compact(hour -> true);
        writer.write(List.of(row("03:30", 3, 4), row("04:20", 4, 5)));
        writer.write(List.of(row("03:01", 1, 2)));
        return List.of(1L, 2L, 3L);
    }

    /** One pass over {@code lake} through a file system that crashes at operation {@code n}; the catalog uses it too. */
    private static CrashingFileSystem crashAt(Path lake, int n) throws Exception {
        CrashingLake crashing = CrashingFileSystem.lake(lake, n, CONF);
        URI local = URI.create("file:///");
        FileSystemCacheForTests.put(local, CONF, crashing.fs());
        try {
            Throwable failure = catchThrowable(
                    () -> compactor(crashing.lake(), catalog(lake)).compact(hour -> true));
            if (n == CrashingFileSystem.NEVER) {
                assertThat(failure).isNull();
            }
        } finally {
            FileSystemCacheForTests.remove(local, CONF, crashing.fs());
        }
        return crashing.fs();
    }

    private static IcebergCompactor compactor(LakeFileSystem lake, Catalog catalog) {
        return new IcebergCompactor(lake, CompactionSettings.DEFAULT, catalog, "sluice", QUIET, false);
    }

    private static Catalog catalog(Path lake) {
        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(CONF);
        catalog.initialize("test", Map.of("warehouse", "file:" + lake.resolve("iceberg")));
        return catalog;
    }

    /** The ids a reader sees, through a catalog and file system of its own. */
    private static List<Long> ids(Path lake) throws Exception {
        Catalog reader = catalog(lake);
        if (!reader.tableExists(TABLE)) {
            return List.of();
        }
        Table table = reader.loadTable(TABLE);
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> ids.add((Long) r.getField("id")));
        }
        ids.sort(null);
        return ids;
    }

    private static LakeRecord row(String minute, long offset, long id) {
        return CuratedRow.at("2026-11-22T" + minute + ":00Z")
                .offset(0, offset)
                .with("id", id)
                .record();
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
        return to;
    }
}
