package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lake table kept as upserts (the dimension history by scd_id): one row per key, the last written; none after a tombstone. */
class UpsertHourTest {
    private static final String TABLE = "dim_users_history";
    private static final String HOUR = "curated/" + TABLE + "/year=2026/month=11/day=22/hour=03";

    @TempDir
    Path dir;

    @Test
    void aVersionWrittenTwiceIsOneRowWithItsLastValues() {
        LakeFixture lake = upsertLake();
        write(
                lake,
                version("a", 0, 10).with("valid_to", null),
                version("b", 0, 11),
                version("a", 0, 12).with("valid_to", 99));

        compact(lake, CompactionSettings.DEFAULT);

        assertThat(rows(lake))
                .extracting(r -> r.get("scd_id").toString(), r -> r.get("valid_to"), r -> r.get("__kafka_offset"))
                .containsExactlyInAnyOrder(tuple("a", 99L, 12L), tuple("b", null, 11L));
        assertThat(marker(lake)).contains("\"rows\":2").doesNotContain("tombstones");
    }

    @Test
    void aTombstoneRemovesItsKeyAndNeverReachesParquet() {
        LakeFixture lake = upsertLake();
        write(lake, version("a", 0, 10), version("b", 0, 11), tombstone("a", 0, 12));

        compact(lake, CompactionSettings.DEFAULT);

        List<GenericRecord> rows = rows(lake);
        assertThat(rows).extracting(r -> r.get("scd_id").toString()).containsExactly("b");
        assertThat(rows.get(0).getSchema().getField(UpsertKeys.RETRACTED)).isNull();
        assertThat(marker(lake)).contains("\"rows\":1", "\"tombstones\":{\"a\":[0,12]}");
    }

    @Test
    void lateRowsReplaceTheirKeysRowsAndATombstoneRemovesOneInACommittedHour() {
        LakeFixture lake = upsertLake();
        write(lake, version("a", 0, 10), version("b", 0, 11), version("c", 0, 12));
        compact(lake, CompactionSettings.DEFAULT);

        write(lake, version("a", 0, 20).with("valid_to", 99), tombstone("b", 0, 21), version("d", 0, 22));
        CompactionReport report = compact(lake, CompactionSettings.DEFAULT);

        assertThat(rows(lake))
                .extracting(r -> r.get("scd_id").toString(), r -> r.get("__kafka_offset"))
                .containsExactlyInAnyOrder(tuple("a", 20L), tuple("c", 12L), tuple("d", 22L));
        assertThat(report.hours()).singleElement().satisfies(h -> {
            assertThat(h.rows()).isEqualTo(3);
            assertThat(h.files()).isEqualTo(1);
        });
        assertThat(marker(lake)).contains("\"rows\":3", "\"tombstones\":{\"b\":[0,21]}");
    }

    @Test
    void aStaleRowMetAgainAfterItsKeyWasRemovedOrReplacedStaysOut() {
        LakeFixture lake = upsertLake();
        write(lake, version("a", 0, 10), version("b", 0, 11));
        compact(lake, CompactionSettings.DEFAULT);
        write(lake, tombstone("a", 0, 20), version("b", 0, 21).with("valid_to", 99));
        compact(lake, CompactionSettings.DEFAULT);

        // the first rows written to tier 0 again, as a lake sink that crashed before committing its offsets does
        write(lake, version("a", 0, 10), version("b", 0, 11));
        compact(lake, CompactionSettings.DEFAULT);

        assertThat(rows(lake))
                .extracting(r -> r.get("scd_id").toString(), r -> r.get("valid_to"))
                .containsExactly(tuple("b", 99L));
    }

    @Test
    void inAMultiFileHourEachKeysNewRowReplacesItsOldOneInTheSameFile() {
        LakeFixture lake = upsertLake();
        CompactionSettings fileEachRow = new CompactionSettings(Duration.ZERO, 1, 1 << 20, CompressionCodecName.SNAPPY);
        write(lake, version("a", 0, 10), version("b", 0, 11), version("c", 0, 12));
        compact(lake, fileEachRow);
        List<String> before = parquetFiles(lake);
        String fileOfB = before.stream()
                .filter(f -> lake.parquetRows(f).stream()
                        .anyMatch(r -> r.get("scd_id").toString().equals("b")))
                .findFirst()
                .orElseThrow();

        write(lake, version("b", 0, 20).with("valid_to", 99));
        compact(lake, fileEachRow);

        assertThat(parquetFiles(lake)).isEqualTo(before);
        assertThat(lake.parquetRows(fileOfB))
                .extracting(r -> r.get("scd_id").toString(), r -> r.get("valid_to"))
                .containsExactly(tuple("b", 99L));
        assertThat(rows(lake)).hasSize(3);
    }

    @Test
    void aTableNotDeclaredAsUpsertsKeepsEveryRow() {
        LakeFixture lake = new LakeFixture(dir);
        write(lake, version("a", 0, 10), version("a", 0, 11));

        compact(lake, CompactionSettings.DEFAULT);

        assertThat(rows(lake)).hasSize(2);
    }

    @Test
    void anUnreadableDeclarationFailsTheHourInsteadOfKeepingEveryVersion() throws Exception {
        LakeFixture lake = upsertLake();
        Files.writeString(dir.resolve(UpsertKeys.FOLDER).resolve(TABLE + ".json"), "{\"upsertKey\":");
        write(lake, version("a", 0, 10));

        CompactionReport report = compact(lake, CompactionSettings.DEFAULT);

        assertThat(report.failedHours())
                .singleElement()
                .satisfies(f ->
                        assertThat(f.cause()).hasStackTraceContaining("upsert declaration of lake table " + TABLE));
        assertThat(lake.files("raw")).as("kept for the next pass").isNotEmpty();
    }

    private LakeFixture upsertLake() {
        LakeFixture lake = new LakeFixture(dir);
        UpsertKeys.declare(lake.lake, Map.of(TABLE, "scd_id"));
        LakeColumnTypes.write(lake.lake, TABLE, Map.of("valid_to", "long")); // as the lake sink declares it
        return lake;
    }

    private static CuratedRow version(String scdId, int partition, long offset) {
        return CuratedRow.at("2026-11-22T03:05:00Z")
                .table(TABLE)
                .offset(partition, offset)
                .with("scd_id", scdId)
                .with("id", 7)
                .with("valid_to", null);
    }

    private static CuratedRow tombstone(String scdId, int partition, long offset) {
        return CuratedRow.at("2026-11-22T03:05:00Z")
                .table(TABLE)
                .offset(partition, offset)
                .with("scd_id", scdId)
                .with(UpsertKeys.RETRACTED, true);
    }

    private static void write(LakeFixture lake, CuratedRow... rows) {
        new Tier0Writer(lake.lake)
                .write(java.util.Arrays.stream(rows).map(CuratedRow::record).toList());
    }

    private static CompactionReport compact(LakeFixture lake, CompactionSettings settings) {
        return new HourlyCompactor(lake.lake, settings).compact(hour -> true);
    }

    private static List<String> parquetFiles(LakeFixture lake) {
        return lake.files(HOUR).stream().filter(f -> f.endsWith(".parquet")).toList();
    }

    private static List<GenericRecord> rows(LakeFixture lake) {
        return parquetFiles(lake).stream()
                .flatMap(f -> lake.parquetRows(f).stream())
                .toList();
    }

    private String marker(LakeFixture lake) {
        try {
            return Files.readString(dir.resolve(HOUR).resolve(HourMarker.NAME));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
