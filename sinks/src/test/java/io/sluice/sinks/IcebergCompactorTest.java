package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lake.format: iceberg}: tier 0 compacted into Iceberg tables, read back with Iceberg's own generic reader. */
class IcebergCompactorTest {
    private static final String TABLE = "shop_users";

    @TempDir
    Path dir;

    @Test
    void aPassIsOneCommitPerTableWithHourPartitionsOfSnappyParquet() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        write(lake, row("03:05", 0, 0, 1), row("03:01", 0, 1, 2), row("04:10", 0, 2, 3));

        CompactionReport report = compactor(lake).compact(hour -> true);

        Table table = catalog(lake).loadTable(compactor(lake).identifier(TABLE));
        assertThat(report.hours()).hasSize(2);
        assertThat(report.failedHours()).isEmpty();
        assertThat(table.snapshots()).as("one commit for both hours").hasSize(1);
        assertThat(table.spec().fields())
                .singleElement()
                .satisfies(f -> assertThat(f.transform().toString()).isEqualTo("hour"));
        assertThat(dataFiles(table))
                .hasSize(2)
                .allSatisfy(f -> assertThat(f.location()).endsWith(".snappy.parquet"));
        assertThat(ids(table)).containsExactly(1L, 2L, 3L);
        assertThat(lake.files("raw")).isEmpty();
        assertThat(NewestHour.read(lake.lake.fs(), lake.lake.layout()))
                .as("for the lake-freshness gauge")
                .containsEntry(TABLE, EventHour.parseIso("2026-11-22T04"));
    }

    @Test
    void lateRowsAndARetriedBatchReplaceTheHoursFileInOneCommitWithoutARowTwice() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        write(lake, row("03:05", 0, 0, 1), row("03:01", 0, 1, 2));
        compactor(lake).compact(hour -> true);

        write(lake, row("03:01", 0, 1, 2), row("03:30", 0, 2, 3)); // offset 1 again: a retried batch
        CompactionReport report = compactor(lake).compact(hour -> true);

        Table table = catalog(lake).loadTable(compactor(lake).identifier(TABLE));
        assertThat(ids(table)).containsExactly(1L, 2L, 3L);
        assertThat(dataFiles(table)).as("the hour stays one file").hasSize(1);
        assertThat(table.snapshots()).hasSize(2);
        assertThat(report.hours()).singleElement().satisfies(h -> {
            assertThat(h.rows()).isEqualTo(3);
            assertThat(h.newRows()).isEqualTo(1);
        });
    }

    @Test
    void aPassRepeatedAfterItsCommitChangesNothingAndRemovesTheObjects() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        List<LakeRecord> rows = List.of(row("03:05", 0, 0, 1), row("03:01", 0, 1, 2));
        write(lake, rows.toArray(LakeRecord[]::new));
        compactor(lake).compact(hour -> true);

        // the same objects again, as after a crash between the commit and their deletion
        write(lake, rows.toArray(LakeRecord[]::new));
        compactor(lake).compact(hour -> true);

        Table table = catalog(lake).loadTable(compactor(lake).identifier(TABLE));
        assertThat(table.snapshots()).hasSize(1);
        assertThat(ids(table)).containsExactly(1L, 2L);
        assertThat(lake.files("raw")).isEmpty();
    }

    @Test
    void aColumnThatAppearsLaterIsAddedToTheSchemaWithItsDocAndOlderRowsReadNull() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        LakeColumnDocs.write(lake.lake, TABLE, Map.of("id", "The user's id"));
        write(lake, row("03:05", 0, 0, 1));
        compactor(lake).compact(hour -> true);
        LakeColumnDocs.write(lake.lake, TABLE, Map.of("id", "The user's id (masked)", "tier", "Loyalty tier"));
        write(
                lake,
                CuratedRow.at("2026-11-22T05:00:00Z")
                        .offset(0, 1)
                        .with("id", 2)
                        .with("tier", "gold")
                        .record());

        compactor(lake).compact(hour -> true);

        Table table = catalog(lake).loadTable(compactor(lake).identifier(TABLE));
        assertThat(table.schema().findField("tier").doc()).isEqualTo("Loyalty tier");
        assertThat(table.schema().findField("id").doc())
                .as("a doc the schema changed")
                .isEqualTo("The user's id (masked)");
        Map<Long, Object> tierById = new TreeMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> tierById.put((Long) r.getField("id"), r.getField("tier")));
        }
        assertThat(tierById).containsEntry(2L, "gold").containsEntry(1L, null);
    }

    @Test
    void aTableKeptAsUpsertsHasTheLastRowPerKeyAndNoneAfterATombstone() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        UpsertKeys.declare(lake.lake, Map.of("dim_users_history", "scd_id"));
        write(lake, version("a", 10, 1), version("b", 11, 1), version("c", 12, 1));
        compactor(lake).compact(hour -> true);
        write(lake, version("a", 20, 2), tombstone("b", 21), version("d", 22, 1));

        compactor(lake).compact(hour -> true);

        Table table = catalog(lake).loadTable(compactor(lake).identifier("dim_users_history"));
        Map<String, Long> versionByKey = new TreeMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r ->
                    versionByKey.merge(r.getField("scd_id").toString(), (Long) r.getField("version"), (x, y) -> -1L));
        }
        assertThat(versionByKey).isEqualTo(Map.of("a", 2L, "c", 1L, "d", 1L));
        assertThat(table.schema().findField(UpsertKeys.RETRACTED)).isNull();
    }

    @Test
    void aCurrentStateTableHoldsTheLastChangePerKeyAcrossHoursAndDeletesRemoveItsRow() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        String current = "shop_users_current";
        UpsertKeys.declare(lake.lake, Map.of(current, UpsertKeys.CURRENT_KEY), true);
        write(lake, change(current, "03:00", 0, 1, "Seoul"), change(current, "03:10", 1, 2, "Busan"));
        write(lake, change(current, "04:00", 2, 1, "Daegu"), deleted(current, "04:05", 3, 2));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        compactor(lake).countingInto(new IcebergMetrics(meters)).compact(hour -> true);
        assertThat(meters.get("sluice.lake.iceberg.commits")
                        .tag("table", current)
                        .counter()
                        .count())
                .isEqualTo(1.0);
        Table table = catalog(lake).loadTable(compactor(lake).identifier(current));
        assertThat(cityById(table)).isEqualTo(Map.of(1L, "Daegu"));
        assertThat(table.spec().isUnpartitioned()).isTrue();

        // later: key 2 inserted again, key 1 changed again; a stale copy of key 2's first row comes back too
        write(lake, change(current, "05:00", 4, 2, "Incheon"), change(current, "05:10", 5, 1, "Ulsan"));
        write(lake, change(current, "03:10", 1, 2, "Busan"));
        compactor(lake).countingInto(new IcebergMetrics(meters)).compact(hour -> true);
        assertThat(meters.get("sluice.lake.iceberg.deleted.keys")
                        .tag("table", current)
                        .counter()
                        .count())
                .as("key 1 changed again: its row deleted, the new one added")
                .isEqualTo(1.0);

        table.refresh();
        assertThat(cityById(table)).isEqualTo(Map.of(1L, "Ulsan", 2L, "Incheon"));
        assertThat(table.currentSnapshot().summary())
                .as("a row-level delete (format v2), not a rewrite")
                .containsKey("added-equality-delete-files");
    }

    private static LakeRecord change(String table, String minute, long offset, long id, String city) {
        return CuratedRow.at("2026-11-22T" + minute + ":00Z")
                .table(table)
                .offset(0, offset)
                .with(UpsertKeys.CURRENT_KEY, "{\"id\":" + id + "}")
                .with("id", id)
                .with("city", city)
                .record();
    }

    private static LakeRecord deleted(String table, String minute, long offset, long id) {
        return CuratedRow.at("2026-11-22T" + minute + ":00Z")
                .table(table)
                .offset(0, offset)
                .with(UpsertKeys.CURRENT_KEY, "{\"id\":" + id + "}")
                .with(UpsertKeys.RETRACTED, true)
                .record();
    }

    private static Map<Long, String> cityById(Table table) throws Exception {
        Map<Long, String> cities = new TreeMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> {
                Object was =
                        cities.put((Long) r.getField("id"), r.getField("city").toString());
                assertThat(was).as("one row per key").isNull();
            });
        }
        return cities;
    }

    @Test
    void maintenanceExpiresReplacedSnapshotsWithTheirFilesAndRemovesOrphans() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        IcebergMaintenance eager = new IcebergMaintenance(Duration.ZERO, 1, Duration.ZERO);
        IcebergCompactor compactor =
                new IcebergCompactor(lake.lake, CompactionSettings.DEFAULT, catalog(lake), "sluice", eager);
        write(lake, row("03:05", 0, 0, 1));
        compactor.compact(hour -> true);
        Table table = catalog(lake).loadTable(compactor.identifier(TABLE));
        String replaced = dataFiles(table).get(0).location();
        Path orphan = Path.of(java.net.URI.create(replaced)).resolveSibling("left-by-a-crashed-pass.parquet");
        java.nio.file.Files.writeString(orphan, "never committed");

        write(lake, row("03:06", 0, 1, 2)); // late: the hour's file is replaced
        compactor.compact(hour -> true);

        table.refresh();
        assertThat(table.snapshots()).hasSize(1);
        assertThat(Path.of(java.net.URI.create(replaced)))
                .as("the replaced file expired with its snapshot")
                .doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(ids(table)).containsExactly(1L, 2L);
        assertThat(Path.of(java.net.URI.create(dataFiles(table).get(0).location())))
                .exists();
    }

    @Test
    void theSameTier0InBothLayoutsGivesTheSameRowsPerTableHour() throws Exception {
        LakeFixture hive = new LakeFixture(dir.resolve("hive"));
        LakeFixture iceberg = new LakeFixture(dir.resolve("iceberg"));
        CompactionSettings small = new CompactionSettings(Duration.ZERO, 600, 1 << 20, CompressionCodecName.SNAPPY);
        for (LakeFixture lake : List.of(hive, iceberg)) {
            List<LakeRecord> first = new ArrayList<>();
            List<LakeRecord> late = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String minute = String.format("%02d:%02d", 3 + i % 3, (i * 7) % 60);
                (i < 45 ? first : late).add(row(minute, i % 2, i, i));
            }
            write(lake, first.toArray(LakeRecord[]::new));
            write(lake, first.subList(0, 5).toArray(LakeRecord[]::new));
            compactorFor(lake, lake == hive, small).compact(hour -> true);
            write(lake, late.toArray(LakeRecord[]::new));
            compactorFor(lake, lake == hive, small).compact(hour -> true);
        }

        Map<String, List<String>> hiveRows = new TreeMap<>();
        for (String file : hive.files("curated/" + TABLE)) {
            if (file.endsWith(".parquet")) {
                String hour = file.substring(file.indexOf("year="), file.lastIndexOf('/'));
                hive.parquetRows(file)
                        .forEach(r -> hiveRows.computeIfAbsent(hour, h -> new ArrayList<>())
                                .add(r.get("__kafka_partition") + "@" + r.get("__kafka_offset") + " id=" + r.get("id")
                                        + " at=" + ((java.time.Instant) r.get("__event_time")).toEpochMilli()));
            }
        }
        Map<String, List<String>> icebergRows = new TreeMap<>();
        Table table = catalog(iceberg).loadTable(compactor(iceberg).identifier(TABLE));
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                long at = ((java.time.OffsetDateTime) r.getField("__event_time"))
                        .toInstant()
                        .toEpochMilli();
                icebergRows
                        .computeIfAbsent(EventHour.containing(at).partitionPath(), h -> new ArrayList<>())
                        .add(r.getField("__kafka_partition") + "@" + r.getField("__kafka_offset") + " id="
                                + r.getField("id") + " at=" + at);
            }
        }
        hiveRows.values().forEach(l -> l.sort(null));
        icebergRows.values().forEach(l -> l.sort(null));
        assertThat(icebergRows).hasSize(3).isEqualTo(hiveRows);
        assertThat(icebergRows.values().stream().mapToInt(List::size).sum()).isEqualTo(60);
    }

    private static LakeCompactor compactorFor(LakeFixture lake, boolean hive, CompactionSettings settings) {
        return hive
                ? new HourlyCompactor(lake.lake, settings)
                : new IcebergCompactor(lake.lake, settings, catalog(lake), "sluice", IcebergMaintenance.DEFAULT);
    }

    private static IcebergCompactor compactor(LakeFixture lake) {
        return new IcebergCompactor(
                lake.lake, CompactionSettings.DEFAULT, catalog(lake), "sluice", IcebergMaintenance.DEFAULT);
    }

    private static Catalog catalog(LakeFixture lake) {
        return new IcebergCatalogSettings("hadoop", null, null, "sluice", Map.of())
                .open(lake.lake.root().toString(), lake.lake.conf());
    }

    private static LakeRecord row(String minute, int partition, long offset, long id) {
        return CuratedRow.at("2026-11-22T" + minute + ":00Z")
                .offset(partition, offset)
                .with("id", id)
                .with("amount", id * 1.5)
                .record();
    }

    private static LakeRecord version(String scdId, long offset, long version) {
        return CuratedRow.at("2026-11-22T03:05:00Z")
                .table("dim_users_history")
                .offset(0, offset)
                .with("scd_id", scdId)
                .with("version", version)
                .record();
    }

    private static LakeRecord tombstone(String scdId, long offset) {
        return CuratedRow.at("2026-11-22T03:05:00Z")
                .table("dim_users_history")
                .offset(0, offset)
                .with("scd_id", scdId)
                .with(UpsertKeys.RETRACTED, true)
                .record();
    }

    private static void write(LakeFixture lake, LakeRecord... rows) {
        new Tier0Writer(lake.lake).write(List.of(rows));
    }

    private static List<DataFile> dataFiles(Table table) throws Exception {
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> files.add(t.file()));
        }
        return files;
    }

    private static List<Long> ids(Table table) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> ids.add((Long) r.getField("id")));
        }
        ids.sort(null);
        return ids;
    }
}
