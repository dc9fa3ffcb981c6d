package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Erasing a data subject: every row carrying one of their pseudonyms goes, from every table and file; nothing else changes. */
class LakeErasureTest {
    private static final String ALICE = "k1:YWxpY2UtcHNldWRvbnltLTAxMjM0NTY3";
    private static final String ALICE_OLD_KEY = "k0:YWxpY2UtYmVmb3JlLXJvdGF0aW9uLTAx";
    private static final String BOB = "k1:Ym9iLXBzZXVkb255bS0wMTIzNDU2Nzg5";
    private static final LakeErasure.Subject SUBJECT =
            new LakeErasure.Subject(Set.of(ALICE, ALICE_OLD_KEY), Set.of("user", "event_value"));
    /** A file per row: the erasure rewrites only the files that carry the subject. */
    private static final CompactionSettings FILE_PER_ROW =
            new CompactionSettings(Duration.ZERO, 1, 1 << 20, CompressionCodecName.SNAPPY);

    @TempDir
    Path dir;

    @Test
    void theHiveLayoutLosesTheSubjectsRowsInEveryTableAndFileAndNothingElse() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        writeRows(lake);
        new HourlyCompactor(lake.lake, FILE_PER_ROW).compact(hour -> true);
        Map<String, byte[]> before = parquetBytes();

        LakeErasure.Report dry = new LakeErasure(lake.lake, FILE_PER_ROW, null, null).erase(SUBJECT, true);
        assertThat(parquetBytes()).as("a dry run changes nothing").containsOnlyKeys(before.keySet());
        LakeErasure.Report report = new LakeErasure(lake.lake, FILE_PER_ROW, null, null).erase(SUBJECT, false);

        assertThat(dry.rowsByTable()).isEqualTo(report.rowsByTable());
        assertThat(report.rowsByTable()).isEqualTo(Map.of("shop_orders", 2L, "mmp_events", 2L));
        assertThat(hiveUsers(lake, "shop_orders")).containsExactly(BOB);
        assertThat(hiveUsers(lake, "mmp_events")).containsExactly(BOB);
        Map<String, byte[]> after = parquetBytes();
        assertThat(after)
                .as("one file per row, so the files of the subject's rows are rewritten empty")
                .hasSameSizeAs(before);
        long unchanged = before.entrySet().stream()
                .filter(e -> java.util.Arrays.equals(e.getValue(), after.get(e.getKey())))
                .count();
        assertThat(unchanged).as("files without the subject are not touched").isEqualTo(before.size() - 4);
        assertThat(Files.readString(dir.resolve(
                        "curated/shop_orders/year=2026/month=11/day=22/hour=03/" + HourlyCompactor.SUCCESS)))
                .contains("\"rows\":1");
    }

    @Test
    void icebergTablesLoseTheSubjectsRowsAndTheOldFilesAreDeleted() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        writeRows(lake);
        Catalog catalog = new IcebergCatalogSettings("hadoop", null, null, "sluice", Map.of())
                .open(lake.lake.root().toString(), lake.lake.conf());
        new IcebergCompactor(lake.lake, CompactionSettings.DEFAULT, catalog, "sluice", IcebergMaintenance.DEFAULT)
                .compact(hour -> true);
        List<Path> filesBefore = dataFiles();

        LakeErasure.Report report =
                new LakeErasure(lake.lake, CompactionSettings.DEFAULT, catalog, "sluice").erase(SUBJECT, false);

        assertThat(report.rowsByTable()).isEqualTo(Map.of("shop_orders", 2L, "mmp_events", 2L));
        assertThat(icebergUsers(catalog, "shop_orders")).containsExactly(BOB);
        assertThat(icebergUsers(catalog, "mmp_events")).containsExactly(BOB);
        List<Path> gone = new ArrayList<>(filesBefore);
        gone.removeAll(dataFiles());
        assertThat(gone)
                .as("the rewritten files' old versions are deleted, not just unreferenced")
                .hasSize(3);
        assertThat(gone).allSatisfy(p -> assertThat(p).doesNotExist());
        Table orders = catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("sluice", "shop_orders"));
        assertThat(orders.snapshots()).as("no snapshot reaches the old files").hasSize(1);
    }

    private static void writeRows(LakeFixture lake) {
        new Tier0Writer(lake.lake)
                .write(List.of(
                        row("shop_orders", "03:01", 0, ALICE, null),
                        row("shop_orders", "03:02", 1, BOB, null),
                        row("shop_orders", "04:02", 2, ALICE_OLD_KEY, null),
                        row("mmp_events", "03:05", 3, BOB, "{\"email\":\"k1:bob-mail\"}"),
                        row("mmp_events", "03:06", 4, ALICE, null),
                        row("mmp_events", "03:07", 5, "k1:carol", "{\"referrer\":\"" + ALICE + "\"}")));
    }

    private static LakeRecord row(String table, String minute, long offset, String user, String eventValue) {
        CuratedRow row = CuratedRow.at("2026-11-22T" + minute + ":00Z")
                .table(table)
                .offset(0, offset)
                .with("user", user);
        if (eventValue != null) {
            row.with("event_value", eventValue);
        }
        return row.record();
    }

    private List<String> hiveUsers(LakeFixture lake, String table) {
        List<String> users = new ArrayList<>();
        for (String file : lake.files("curated/" + table)) {
            if (file.endsWith(".parquet")) {
                lake.parquetRows(file).forEach(r -> users.add(r.get("user").toString()));
            }
        }
        return users;
    }

    private static List<String> icebergUsers(Catalog catalog, String table) throws Exception {
        List<String> users = new ArrayList<>();
        Table t = catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("sluice", table));
        try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
            records.forEach(r -> users.add(r.getField("user").toString()));
        }
        return users;
    }

    private Map<String, byte[]> parquetBytes() throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir.resolve("curated"))) {
            for (Path p : walk.filter(p -> p.toString().endsWith(".parquet")).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private List<Path> dataFiles() throws Exception {
        try (Stream<Path> walk = Files.walk(dir.resolve("iceberg"))) {
            return walk.filter(p ->
                            p.toString().endsWith(".parquet") && p.toString().contains("/data/"))
                    .toList();
        }
    }
}
