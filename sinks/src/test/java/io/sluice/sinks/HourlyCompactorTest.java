package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HourlyCompactorTest {
    private static final String HOUR_03 =
            "curated/shop_users/year=2026/month=11/day=22/hour=03/part-00000.snappy.parquet";

    @TempDir
    Path dir;

    @Test
    void compactsClosedHourIntoOneSnappyParquetFileAndRemovesTier0() {
        LakeFixture lake = new LakeFixture(dir);
        new Tier0Writer(lake.lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:05:00Z")
                                .offset(0, 0)
                                .with("id", 1)
                                .with("tier", "gold")
                                .record(),
                        CuratedRow.at("2026-11-22T03:01:00Z")
                                .offset(0, 1)
                                .with("id", 2)
                                .with("tier", "silver")
                                .record()));

        CompactionReport report = compactor(lake).compact(hour -> true);

        assertThat(report.hours()).singleElement().satisfies(h -> {
            assertThat(h.rows()).isEqualTo(2);
            assertThat(h.files()).isEqualTo(1);
        });
        assertThat(lake.files("curated"))
                .containsExactly(HOUR_03.replace("part-00000.snappy.parquet", "_SUCCESS"), HOUR_03);
        assertThat(lake.files("raw")).isEmpty();
        assertThat(lake.files("_staging")).isEmpty();
        List<GenericRecord> rows = lake.parquetRows(HOUR_03);
        assertThat(rows).extracting(r -> r.get("id")).containsExactly(2L, 1L); // ordered by event time
        assertThat(rows.get(0).get("tier")).hasToString("silver");
    }

    @Test
    void declaredColumnTypesHoldInEveryHourEvenWhereValuesSaySomethingElse() {
        LakeFixture lake = new LakeFixture(dir);
        LakeColumnTypes.write(lake.lake, "shop_users", java.util.Map.of("amount", "double", "visits", "long"));
        new Tier0Writer(lake.lake)
                .write(List.of(CuratedRow.at("2026-11-22T03:05:00Z")
                        .offset(0, 0)
                        .with("id", 1)
                        .with("amount", 2)
                        .with("visits", null)
                        .record()));

        compactor(lake).compact(hour -> true);

        org.apache.avro.Schema written = lake.parquetRows(HOUR_03).get(0).getSchema();
        assertThat(written.getField("amount").schema().getTypes().get(1).getType())
                .as("whole here, double by declaration")
                .isEqualTo(org.apache.avro.Schema.Type.DOUBLE);
        assertThat(written.getField("visits").schema().getTypes().get(1).getType())
                .as("null throughout the hour, still a number")
                .isEqualTo(org.apache.avro.Schema.Type.LONG);
    }

    @Test
    void marksEachCommittedHourAndWritesHiveDdlForItsTable() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        new Tier0Writer(lake.lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:05:00Z")
                                .offset(0, 0)
                                .with("id", 1)
                                .with("tier", "gold")
                                .with("amount", 2.5)
                                .record(),
                        CuratedRow.at("2026-11-22T04:05:00Z")
                                .offset(0, 1)
                                .with("id", 2)
                                .with("tier", "silver")
                                .with("amount", 1)
                                .record()));

        compactor(lake).compact(hour -> true);

        String marker = Files.readString(dir.resolve("curated/shop_users/year=2026/month=11/day=22/hour=03/_SUCCESS"));
        assertThat(marker)
                .isEqualTo("{\"table\":\"shop_users\",\"hour\":\"year=2026/month=11/day=22/hour=03\",\"rows\":1,"
                        + "\"files\":[\"part-00000.snappy.parquet\"]}\n");
        String ddl = Files.readString(dir.resolve("_ddl/shop_users.sql"));
        assertThat(ddl)
                .contains(
                        "CREATE EXTERNAL TABLE IF NOT EXISTS `shop_users` (",
                        "`__event_time` timestamp",
                        "`id` bigint",
                        "`tier` string",
                        "`amount` double",
                        "PARTITIONED BY (`year` int, `month` int, `day` int, `hour` int)",
                        "STORED AS PARQUET",
                        "ADD IF NOT EXISTS PARTITION (year=2026, month=11, day=22, hour=3) LOCATION",
                        "ADD IF NOT EXISTS PARTITION (year=2026, month=11, day=22, hour=4) LOCATION",
                        "'projection.enabled'='true'");
    }

    @Test
    void leavesOpenHoursUntilGraceHasPassed() {
        LakeFixture lake = new LakeFixture(dir);
        new Tier0Writer(lake.lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:59:00Z").offset(0, 0).record()));
        long justBeforeGraceEnds = Instant.parse("2026-11-22T04:09:59.999Z").toEpochMilli();
        java.time.Duration grace = java.time.Duration.ofMinutes(10);

        CompactionReport early = compactor(lake).compact(hour -> hour.isClosed(justBeforeGraceEnds, grace));
        CompactionReport later = compactor(lake).compact(hour -> hour.isClosed(justBeforeGraceEnds + 1, grace));

        assertThat(early.hours()).isEmpty();
        assertThat(early.openHours()).isEqualTo(1);
        assertThat(later.hours()).hasSize(1);
    }

    @Test
    void mergesLateRowsIntoAnAlreadyCompactedHourWithoutDuplicates() {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake);
        writer.write(List.of(
                CuratedRow.at("2026-11-22T03:40:00Z").offset(0, 0).with("id", 1).record()));
        compactor(lake).compact(hour -> true);

        // a late row, plus a retried batch that repeats offset 0
        writer.write(List.of(
                CuratedRow.at("2026-11-22T03:40:00Z").offset(0, 0).with("id", 1).record(),
                CuratedRow.at("2026-11-22T03:30:00Z").offset(0, 7).with("id", 9).record()));
        CompactionReport report = compactor(lake).compact(hour -> true);

        assertThat(report.hours().get(0).newRows()).isEqualTo(1);
        assertThat(report.hours().get(0).rows()).isEqualTo(2);
        assertThat(report.hours().get(0).files()).isEqualTo(1);
        // the hour stays one file, rewritten in event-time order with the late row
        assertThat(lake.parquetRows(HOUR_03)).extracting(r -> r.get("id")).containsExactly(9L, 1L);
        assertThat(lake.files("curated")).hasSize(2);
    }

    @Test
    void anHourStaysOneFileAcrossManyPassesWithLateRows() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake);
        writer.write(List.of(
                CuratedRow.at("2026-11-22T03:00:00Z").offset(0, 0).with("id", 0).record()));
        compactor(lake).compact(hour -> true);

        for (int pass = 1; pass <= 5; pass++) {
            writer.write(List.of(CuratedRow.at("2026-11-22T03:00:00Z")
                    .offset(0, pass)
                    .with("id", pass)
                    .record()));
            compactor(lake).compact(hour -> true);
        }

        assertThat(lake.files("curated"))
                .containsExactly(HOUR_03.replace("part-00000.snappy.parquet", "_SUCCESS"), HOUR_03);
        assertThat(lake.parquetRows(HOUR_03)).extracting(r -> r.get("id")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(Files.readString(dir.resolve(HOUR_03.replace("part-00000.snappy.parquet", "_SUCCESS"))))
                .contains("\"rows\":6", "\"files\":[\"part-00000.snappy.parquet\"]");
    }

    @Test
    void lateRowsForAnHourWhoseLastFileIsFullGoIntoOneNewFile() {
        LakeFixture lake = new LakeFixture(dir);
        CompactionSettings tiny = new CompactionSettings(
                java.time.Duration.ZERO, 1, 1 << 20, org.apache.parquet.hadoop.metadata.CompressionCodecName.SNAPPY);
        Tier0Writer writer = new Tier0Writer(lake.lake);
        writer.write(List.of(
                CuratedRow.at("2026-11-22T03:00:00Z").offset(0, 0).with("id", 1).record()));
        new HourlyCompactor(lake.lake, tiny).compact(hour -> true);

        writer.write(List.of(
                CuratedRow.at("2026-11-22T03:10:00Z").offset(0, 1).with("id", 2).record(),
                CuratedRow.at("2026-11-22T03:20:00Z").offset(0, 2).with("id", 3).record()));
        new HourlyCompactor(lake.lake, tiny).compact(hour -> true);

        assertThat(lake.parquetRows(HOUR_03)).extracting(r -> r.get("id")).containsExactly(1L);
        assertThat(lake.parquetRows(HOUR_03.replace("part-00000", "part-00001")))
                .extracting(r -> r.get("id"))
                .containsExactly(2L, 3L);
    }

    @Test
    void lateRowsThatWidenAColumnRewriteTheHourWithTheWiderTypeAndTheDdlTakesIt() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake);
        writer.write(List.of(CuratedRow.at("2026-11-22T03:00:00Z")
                .offset(0, 0)
                .with("amount", 1)
                .with("user-id", "u1")
                .record()));
        compactor(lake).compact(hour -> true);

        writer.write(List.of(CuratedRow.at("2026-11-22T03:30:00Z")
                .offset(0, 1)
                .with("amount", 2.5)
                .with("coupon", "X1")
                .with("user-id", "u2")
                .record()));
        compactor(lake).compact(hour -> true);

        List<GenericRecord> rows = lake.parquetRows(HOUR_03);
        assertThat(rows).extracting(r -> r.get("amount")).containsExactly(1.0, 2.5);
        assertThat(rows)
                .extracting(
                        r -> r.get("coupon") == null ? null : r.get("coupon").toString())
                .containsExactly(null, "X1");
        assertThat(rows)
                .extracting(r -> r.get("user_id").toString())
                .as("a renamed column keeps its place")
                .containsExactly("u1", "u2");
        assertThat(rows.get(0).getSchema().getFields())
                .extracting(org.apache.avro.Schema.Field::name)
                .doesNotContain("user_id_2");
        assertThat(Files.readString(dir.resolve("_ddl/shop_users.sql"))).contains("`amount` double", "`coupon` string");
    }

    @Test
    void compactsAnHourHoldingBothJsonLinesAndAvroObjectsIntoOneFile() {
        // a lake written by an older Sluice (JSON Lines tier 0) keeps compacting after the upgrade to Avro
        LakeFixture lake = new LakeFixture(dir);
        new Tier0Writer(lake.lake, Tier0Format.JSON_LINES)
                .write(List.of(CuratedRow.at("2026-11-22T03:00:00Z")
                        .offset(0, 0)
                        .with("id", 1)
                        .with("amount", 1.25)
                        .record()));
        new Tier0Writer(lake.lake, Tier0Format.AVRO)
                .write(List.of(CuratedRow.at("2026-11-22T03:01:00Z")
                        .offset(0, 1)
                        .with("id", 2)
                        .with("amount", 2)
                        .with("coupon", "X1")
                        .record()));

        CompactionReport report = compactor(lake).compact(hour -> true);

        assertThat(report.hours())
                .singleElement()
                .satisfies(h -> assertThat(h.files()).isEqualTo(1));
        List<GenericRecord> rows = lake.parquetRows(HOUR_03);
        assertThat(rows).extracting(r -> r.get("id")).containsExactly(1L, 2L);
        assertThat(rows).extracting(r -> r.get("amount")).containsExactly(1.25, 2.0);
        assertThat(rows)
                .extracting(
                        r -> r.get("coupon") == null ? null : r.get("coupon").toString())
                .containsExactly(null, "X1");
        assertThat(lake.files("raw")).isEmpty();
    }

    @Test
    void anHourOfManyInterleavedObjectsComesOutInEventTimeOrderWithARetriedBatchOnce() {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake);
        long start = java.time.Instant.parse("2026-11-22T03:00:00Z").toEpochMilli();
        java.util.Random random = new java.util.Random(7);
        java.util.List<LakeRecord> retried = null;
        for (int batch = 0; batch < 40; batch++) {
            java.util.List<LakeRecord> records = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int n = batch * 25 + i;
                // rising through the hour, a few seconds out of order, over three partitions
                long at = start + n * 3_000L + random.nextInt(20_000);
                records.add(CuratedRow.at(java.time.Instant.ofEpochMilli(at).toString())
                        .offset(n % 3, n / 3)
                        .with("n", n)
                        .record());
            }
            writer.write(records);
            if (batch == 17) {
                retried = records;
            }
        }
        // the same records again, batched differently: other object names, same rows
        writer.write(retried.subList(5, 25));

        CompactionReport report = compactor(lake).compact(hour -> true);

        assertThat(report.hours())
                .singleElement()
                .satisfies(h -> assertThat(h.rows()).isEqualTo(1_000));
        List<GenericRecord> rows = lake.parquetRows(HOUR_03);
        assertThat(rows).extracting(r -> r.get("n")).doesNotHaveDuplicates().hasSize(1_000);
        assertThat(rows)
                .extracting(r -> ((Instant) r.get("__event_time")).toEpochMilli())
                .isSorted();
    }

    @Test
    void widensColumnTypesInsteadOfLosingValues() {
        LakeFixture lake = new LakeFixture(dir);
        new Tier0Writer(lake.lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:00:00Z")
                                .offset(0, 0)
                                .with("amount", 1)
                                .with("note", null)
                                .record(),
                        CuratedRow.at("2026-11-22T03:00:01Z")
                                .offset(0, 1)
                                .with("amount", 2.5)
                                .with("note", "x")
                                .record()));

        compactor(lake).compact(hour -> true);

        assertThat(lake.parquetRows(HOUR_03)).extracting(r -> r.get("amount")).containsExactly(1.0, 2.5);
    }

    @Test
    void repairsAPassThatCrashedBetweenMovingTheOldHourAsideAndCommitting() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake);
        writer.write(List.of(
                CuratedRow.at("2026-11-22T03:00:00Z").offset(0, 0).with("id", 1).record()));
        compactor(lake).compact(hour -> true);
        // simulate the crash: the live hour was moved aside, the new one never arrived
        Path live = dir.resolve(HOUR_03).getParent();
        Path aside = dir.resolve("_staging/shop_users/year=2026/month=11/day=22/hour=03/pass.old");
        Files.createDirectories(aside.getParent());
        Files.move(live, aside);
        writer.write(List.of(
                CuratedRow.at("2026-11-22T03:10:00Z").offset(0, 1).with("id", 2).record()));

        compactor(lake).compact(hour -> true);

        assertThat(lake.hourRows(HOUR_03)).extracting(r -> r.get("id")).containsExactly(1L, 2L);
        assertThat(lake.files("_staging")).isEmpty();
    }

    @Test
    void rollsFilesAtTheTargetSize() {
        LakeFixture lake = new LakeFixture(dir);
        java.util.List<LakeRecord> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            batch.add(CuratedRow.at("2026-11-22T03:00:00Z")
                    .offset(0, i)
                    .with("payload", "row-" + i + "-".repeat(200))
                    .record());
        }
        new Tier0Writer(lake.lake).write(batch);
        CompactionSettings small = new CompactionSettings(
                java.time.Duration.ZERO,
                64 * 1024,
                64 * 1024,
                org.apache.parquet.hadoop.metadata.CompressionCodecName.SNAPPY);

        CompactionReport report = new HourlyCompactor(lake.lake, small).compact(hour -> true);

        assertThat(report.hours().get(0).files()).isGreaterThan(1);
        long total = lake.files("curated").stream()
                .filter(f -> f.endsWith(".parquet"))
                .mapToLong(f -> lake.parquetRows(f).size())
                .sum();
        assertThat(total).isEqualTo(3000);
    }

    private static HourlyCompactor compactor(LakeFixture lake) {
        return new HourlyCompactor(lake.lake, CompactionSettings.DEFAULT);
    }
}
