package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Tier0WriterTest {
    @TempDir
    Path dir;

    @Test
    void partitionsByEventHourWithDeterministicObjectNames() {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake);

        writer.write(List.of(
                CuratedRow.at("2026-11-22T03:59:59Z")
                        .offset(0, 10)
                        .with("id", 1)
                        .record(),
                CuratedRow.at("2026-11-22T04:00:00Z")
                        .offset(0, 11)
                        .with("id", 2)
                        .record(),
                CuratedRow.at("2026-11-22T03:10:00Z")
                        .offset(0, 12)
                        .with("id", 3)
                        .record()));

        assertThat(lake.files("raw"))
                .containsExactly(
                        "raw/shop_users/year=2026/month=11/day=22/hour=03/curated.shop.users+0+10+12.avro",
                        "raw/shop_users/year=2026/month=11/day=22/hour=04/curated.shop.users+0+11+11.avro");
    }

    @Test
    void retryingABatchRewritesTheSameObjectInsteadOfAddingOne() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake);
        List<LakeRecord> batch = List.of(
                CuratedRow.at("2026-11-22T03:00:00Z").offset(1, 5).with("id", 1).record());

        writer.write(batch);
        writer.write(batch);

        assertThat(lake.files("raw")).hasSize(1);
        try (DataFileReader<GenericRecord> object =
                new DataFileReader<>(dir.resolve(lake.files("raw").get(0)).toFile(), new GenericDatumReader<>())) {
            GenericRecord row = object.next();
            assertThat(row.get("__kafka_partition")).isEqualTo(1L);
            assertThat(row.get("__kafka_offset")).isEqualTo(5L);
            assertThat(object.hasNext()).isFalse();
        }
    }

    @Test
    void writesJsonLinesWhenAskedWithTheSameNamesButTheirOwnExtension() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake, Tier0Format.JSON_LINES);

        writer.write(List.of(CuratedRow.at("2026-11-22T03:00:00Z")
                .offset(1, 5)
                .with("id", 1)
                .with("score", new BigDecimal("2.50"))
                .record()));

        assertThat(lake.files("raw"))
                .containsExactly("raw/shop_users/year=2026/month=11/day=22/hour=03/curated.shop.users+1+5+5.jsonl");
        String line = Files.readString(dir.resolve(lake.files("raw").get(0)));
        assertThat(line)
                .contains("\"__kafka_partition\":1", "\"__kafka_offset\":5", "\"score\":2.50")
                .endsWith("\n");
    }

    @Test
    void anAvroObjectIsReadableOnItsOwnWithItsColumnsNamesAndExactDecimals() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        new Tier0Writer(lake.lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:00:00Z")
                                .offset(0, 1)
                                .with("user-id", 7)
                                .with("amount", new BigDecimal("2.5"))
                                .with("ctx", Map.of("k", 2))
                                .with("ok", true)
                                .record(),
                        CuratedRow.at("2026-11-22T03:00:01Z")
                                .offset(0, 2)
                                .with("user-id", "u-8")
                                .with("amount", new BigDecimal("0.125"))
                                .record()));

        GenericData decimals = new GenericData();
        decimals.addLogicalTypeConversion(new Conversions.DecimalConversion());
        try (DataFileReader<GenericRecord> object = new DataFileReader<>(
                dir.resolve(lake.files("raw").get(0)).toFile(), new GenericDatumReader<>(null, null, decimals))) {
            Schema.Field userId = object.getSchema().getField("user_id");
            assertThat(userId.getProp(Tier0AvroFile.COLUMN_PROPERTY)).isEqualTo("user-id");
            assertThat(userId.schema().getTypes())
                    .extracting(Schema::getType)
                    .containsExactly(Schema.Type.NULL, Schema.Type.LONG, Schema.Type.STRING);
            assertThat(object.getMetaString("avro.codec")).isEqualTo("snappy");
            GenericRecord first = object.next();
            GenericRecord second = object.next();
            assertThat(first.get("amount"))
                    .as("rescaled to the widest scale, never rounded")
                    .isEqualTo(new BigDecimal("2.500"));
            assertThat(second.get("amount")).isEqualTo(new BigDecimal("0.125"));
            assertThat(first.get("ctx")).hasToString("{\"k\":2}");
            assertThat(first.get("ok")).isEqualTo(true);
            assertThat(second.get("ok")).isNull();
            assertThat(second.get("user_id")).hasToString("u-8");
        }
    }

    @Test
    void bufferFlushesOnRecordCountBytesOrAge() {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Buffer buffer = new Tier0Buffer(
                new Tier0Writer(lake.lake), new Tier0Buffer.FlushPolicy(2, 1_000_000, java.time.Duration.ofSeconds(5)));

        buffer.add(CuratedRow.at("2026-11-22T03:00:00Z").offset(0, 1).record(), 0);
        assertThat(buffer.isFlushDue(4_999)).isFalse();
        assertThat(buffer.isFlushDue(5_000)).isTrue();
        buffer.add(CuratedRow.at("2026-11-22T03:00:00Z").offset(0, 2).record(), 1);
        assertThat(buffer.isFlushDue(1)).isTrue();

        assertThat(buffer.flush()).hasSize(1);
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.isFlushDue(10_000)).isFalse();
    }
}
