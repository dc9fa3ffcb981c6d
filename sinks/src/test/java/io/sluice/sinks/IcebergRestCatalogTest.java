package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Iceberg REST catalog: Iceberg's own REST client against a REST server in the test JVM. */
class IcebergRestCatalogTest {
    @TempDir
    Path dir;

    @Test
    void passesCommitThroughTheRestCatalogAndAnotherClientReadsTheTable() throws Exception {
        LakeFixture lake = new LakeFixture(dir.resolve("lake"));
        HadoopCatalog backing = new HadoopCatalog(
                new Configuration(), dir.resolve("warehouse").toUri().toString());
        try (InProcessRestCatalog server = InProcessRestCatalog.serving(backing)) {
            IcebergCatalogSettings settings =
                    new IcebergCatalogSettings("rest", server.uri(), null, "analytics", Map.of());
            IcebergCompactor compactor = new IcebergCompactor(
                    lake.lake,
                    CompactionSettings.DEFAULT,
                    settings.open(lake.lake.root().toString(), lake.lake.conf()),
                    settings.namespace(),
                    IcebergMaintenance.DEFAULT);
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

            CompactionReport first = compactor.compact(hour -> true);
            new Tier0Writer(lake.lake)
                    .write(List.of(CuratedRow.at("2026-11-22T03:10:00Z")
                            .offset(0, 2)
                            .with("id", 3)
                            .record()));
            CompactionReport late = compactor.compact(hour -> true);

            assertThat(first.failedHours()).isEmpty();
            assertThat(late.failedHours()).isEmpty();
            Catalog another = settings.open(lake.lake.root().toString(), lake.lake.conf());
            Table table = another.loadTable(compactor.identifier("shop_users"));
            assertThat(table.snapshots()).hasSize(2);
            List<Long> ids = new ArrayList<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                records.forEach(r -> ids.add((Long) r.getField("id")));
            }
            assertThat(ids).containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(table.location()).as("the server's warehouse").contains("warehouse");
        }
    }
}
