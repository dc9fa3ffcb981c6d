package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Iceberg JDBC catalog on a real PostgreSQL: tables registered there, committed by one compactor, read by another process. */
class IcebergJdbcCatalogTest {
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aPassCommitsThroughTheCatalogAndAnotherClientReadsTheSameTable() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        IcebergCatalogSettings settings = new IcebergCatalogSettings(
                "jdbc",
                postgres.getJdbcUrl("postgres", "postgres"),
                null,
                "analytics",
                Map.of("jdbc.user", "postgres"));
        new Tier0Writer(lake.lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:05:00Z")
                                .offset(0, 0)
                                .with("id", 1)
                                .record(),
                        CuratedRow.at("2026-11-22T04:05:00Z")
                                .offset(0, 1)
                                .with("id", 2)
                                .record()));
        IcebergCompactor compactor = new IcebergCompactor(
                lake.lake,
                CompactionSettings.DEFAULT,
                settings.open(lake.lake.root().toString(), lake.lake.conf()),
                settings.namespace(),
                IcebergMaintenance.DEFAULT);

        CompactionReport report = compactor.compact(hour -> true);
        new Tier0Writer(lake.lake)
                .write(List.of(CuratedRow.at("2026-11-22T03:10:00Z")
                        .offset(0, 2)
                        .with("id", 3)
                        .record()));
        compactor.compact(hour -> true);

        assertThat(report.failedHours()).isEmpty();
        Catalog another = settings.open(lake.lake.root().toString(), lake.lake.conf());
        Table table = another.loadTable(compactor.identifier("shop_users"));
        assertThat(table.snapshots()).hasSize(2);
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> ids.add((Long) r.getField("id")));
        }
        assertThat(ids).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(table.location()).startsWith(lake.lake.root() + "/iceberg/analytics");
    }
}
