package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                CuratedRow.at("2026-11-22T03:59:59Z").offset(0, 10).with("id", 1).record(),
                CuratedRow.at("2026-11-22T04:00:00Z").offset(0, 11).with("id", 2).record(),
                CuratedRow.at("2026-11-22T03:10:00Z").offset(0, 12).with("id", 3).record()));

        assertThat(lake.files("raw")).containsExactly(
                "raw/shop_users/year=2026/month=11/day=22/hour=03/curated.shop.users+0+10+12.jsonl",
                "raw/shop_users/year=2026/month=11/day=22/hour=04/curated.shop.users+0+11+11.jsonl");
    }

    @Test
    void retryingABatchRewritesTheSameObjectInsteadOfAddingOne() throws Exception {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Writer writer = new Tier0Writer(lake.lake);
        List<LakeRecord> batch = List.of(CuratedRow.at("2026-11-22T03:00:00Z").offset(1, 5).with("id", 1).record());

        writer.write(batch);
        writer.write(batch);

        assertThat(lake.files("raw")).hasSize(1);
        String line = Files.readString(dir.resolve(lake.files("raw").get(0)));
        assertThat(line).contains("\"__kafka_partition\":1", "\"__kafka_offset\":5").endsWith("\n");
    }

    @Test
    void bufferFlushesOnRecordCountBytesOrAge() {
        LakeFixture lake = new LakeFixture(dir);
        Tier0Buffer buffer = new Tier0Buffer(new Tier0Writer(lake.lake),
                new Tier0Buffer.FlushPolicy(2, 1_000_000, java.time.Duration.ofSeconds(5)));

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
