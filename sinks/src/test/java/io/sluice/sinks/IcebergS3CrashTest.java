package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystemCacheForTests;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Iceberg on {@code s3a://} (S3Proxy) with the JDBC catalog (embedded PostgreSQL), as production runs it: a pass
 * crashed at a sample of its S3 operations — tier 0, data files, manifests, table metadata, the deletes after the
 * commit — shows readers the table before the pass or after it, and the next pass completes it. The commit itself is
 * the catalog's one row update, atomic in the database.
 */
class IcebergS3CrashTest {
    private static final IcebergMaintenance QUIET = new IcebergMaintenance(Duration.ofDays(1), 5, Duration.ofDays(1));
    private static S3ProxyLake s3;
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyLake.start();
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aPassOnS3CrashedAtAnyOperationShowsTheTableBeforeOrAfterItAndTheNextPassCompletesIt() throws Exception {
        LakeFileSystem clean = prepare("clean");
        CrashingFileSystem counted = crashAt(clean, "clean", CrashingFileSystem.NEVER);
        List<String> operations = counted.operations();
        assertThat(ids(clean, "clean")).as("a pass without a crash").containsExactly(1L, 2L, 3L);

        int stride = Integer.getInteger("iceberg.crash.stride", Math.max(1, operations.size() / 15));
        Set<List<Long>> seenAtCrashes = new HashSet<>();
        for (int n = 1; n <= operations.size(); n += stride) {
            String crash = "crash at operation " + n + " of " + operations.size() + " (" + operations.get(n - 1) + ")";
            String run = "crash" + n;
            LakeFileSystem lake = prepare(run);

            assertThat(crashAt(lake, run, n).crashed()).as(crash).isTrue();

            List<Long> seen = ids(lake, run);
            assertThat(List.of(List.<Long>of(), List.of(1L, 2L, 3L)))
                    .as(crash + ": seen " + seen)
                    .contains(seen);
            seenAtCrashes.add(seen);
            compactor(lake, run).compact(hour -> true);
            assertThat(ids(lake, run)).as(crash + ", then a clean pass").containsExactly(1L, 2L, 3L);
            assertThat(lake.fs()
                            .globStatus(
                                    new org.apache.hadoop.fs.Path(lake.layout().rawRoot(), "*/*/*/*/*/*")))
                    .as(crash + ", then a clean pass: no tier-0 object left")
                    .isEmpty();
        }
        assertThat(seenAtCrashes).as("crashes before and after the commit").hasSize(2);
    }

    private static LakeFileSystem prepare(String run) {
        LakeFileSystem lake = s3.open(run);
        new Tier0Writer(lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:05:00Z")
                                .offset(0, 0)
                                .with("id", 1)
                                .record(),
                        CuratedRow.at("2026-11-22T03:01:00Z")
                                .offset(0, 1)
                                .with("id", 2)
                                .record(),
                        CuratedRow.at("2026-11-22T04:10:00Z")
                                .offset(0, 2)
                                .with("id", 3)
                                .record()));
        return lake;
    }

    /** One pass through a file system that crashes at operation {@code n}; Iceberg's file IO gets it too. */
    private static CrashingFileSystem crashAt(LakeFileSystem lake, String run, int n) throws Exception {
        CrashingFileSystem.CrashingLake crashing = CrashingFileSystem.over(lake, n);
        URI bucket = URI.create(
                lake.root().toUri().getScheme() + "://" + lake.root().toUri().getAuthority() + "/");
        FileSystemCacheForTests.remove(bucket, lake.conf(), lake.fs());
        FileSystemCacheForTests.put(bucket, lake.conf(), crashing.fs());
        try {
            Throwable failure =
                    catchThrowable(() -> compactor(crashing.lake(), run).compact(hour -> true));
            if (n == CrashingFileSystem.NEVER) {
                assertThat(failure).isNull();
            }
        } finally {
            FileSystemCacheForTests.remove(bucket, lake.conf(), crashing.fs());
            FileSystemCacheForTests.put(bucket, lake.conf(), lake.fs());
        }
        return crashing.fs();
    }

    private static IcebergCompactor compactor(LakeFileSystem lake, String run) {
        return new IcebergCompactor(lake, CompactionSettings.DEFAULT, catalog(lake), run, QUIET, false);
    }

    private static Catalog catalog(LakeFileSystem lake) {
        return new IcebergCatalogSettings(
                        "jdbc",
                        postgres.getJdbcUrl("postgres", "postgres"),
                        null,
                        "unused",
                        Map.of("jdbc.user", "postgres"))
                .open(lake.root().toString(), lake.conf());
    }

    private static List<Long> ids(LakeFileSystem lake, String run) throws Exception {
        Catalog reader = catalog(lake);
        TableIdentifier id = TableIdentifier.of(Namespace.of(run), "shop_users");
        if (!reader.tableExists(id)) {
            return List.of();
        }
        Table table = reader.loadTable(id);
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> ids.add((Long) r.getField("id")));
        }
        ids.sort(null);
        return ids;
    }
}
