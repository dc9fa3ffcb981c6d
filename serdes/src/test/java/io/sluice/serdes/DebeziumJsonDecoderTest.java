package io.sluice.serdes;

import static io.sluice.serdes.DebeziumEvent.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DebeziumJsonDecoderTest {
    private final DebeziumJsonDecoder decoder = new DebeziumJsonDecoder("users");

    @Test
    void decodesInsertAfterImageWithCommitTimeAsEventTime() throws Exception {
        byte[] value = DebeziumEvent.insert().committedAt(1_763_776_800_000L).after("id", 1, "email", "a@b.com").bytes();

        DecodedRecord row = (DecodedRecord) decoder.decode(utf8("{\"id\":1}"), value);

        assertThat(row.op()).isEqualTo("c");
        assertThat(row.eventTimeMs()).isEqualTo(1_763_776_800_000L);
        assertThat(row.row()).containsEntry("id", 1L).containsEntry("email", "a@b.com");
        assertThat(row.key()).containsEntry("id", 1L);
        assertThat(row.deleted()).isFalse();
    }

    @Test
    void decodesSchemaWrappedValuesAndKeys() throws Exception {
        byte[] value = DebeziumEvent.update().after("id", 2, "tier", "gold").withSchemaWrapper().bytes();
        byte[] key = utf8("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"id\":2}}");

        DecodedRecord row = (DecodedRecord) decoder.decode(key, value);

        assertThat(row.row()).containsEntry("tier", "gold");
        assertThat(row.key()).containsEntry("id", 2L);
    }

    @Test
    void deleteYieldsBeforeImageMarkedDeleted() throws Exception {
        DecodedRecord row = (DecodedRecord) decoder.decode(null, DebeziumEvent.delete().before("id", 3).bytes());

        assertThat(row.deleted()).isTrue();
        assertThat(row.row()).containsEntry("id", 3L);
    }

    @Test
    void snapshotReadIsARow() throws Exception {
        assertThat(decoder.decode(null, DebeziumEvent.read().after("id", 4).bytes())).isInstanceOf(DecodedRecord.class);
    }

    @Test
    void skipsTombstonesTruncatesAndMessages() throws Exception {
        assertThat(decoder.decode(utf8("{\"id\":1}"), null)).isEqualTo(new DecodeOutcome.Skipped("tombstone"));
        assertThat(decoder.decode(null, new DebeziumEvent().op("t").bytes())).isEqualTo(new DecodeOutcome.Skipped("truncate"));
        assertThat(decoder.decode(null, new DebeziumEvent().op("m").bytes())).isEqualTo(new DecodeOutcome.Skipped("message"));
    }

    @Test
    void malformedJsonErrorNamesThePositionButNeverTheContent() {
        assertThatThrownBy(() -> decoder.decode(null, utf8("{\"op\":\"c\",\"after\":{\"email\":kim@example.com}}")))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("not valid JSON at line 1")
                .message().doesNotContain("kim");
    }

    @Test
    void rejectsEventsWithoutOpOrImage() {
        assertThatThrownBy(() -> decoder.decode(null, utf8("{\"after\":{\"id\":1}}")))
                .hasMessageContaining("'op'");
        assertThatThrownBy(() -> decoder.decode(null, new DebeziumEvent().op("c").bytes()))
                .hasMessageContaining("no 'after' object");
    }

    @Test
    void keepsNestedJsonAsTextAndLargeNumbersExact() throws Exception {
        byte[] value = utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"attrs\":{\"a\":1},\"big\":123456789012345678901234567890,\"price\":12.50}}");

        DecodedRecord row = (DecodedRecord) decoder.decode(null, value);

        assertThat(row.row().get("attrs")).isEqualTo("{\"a\":1}");
        assertThat(row.row().get("big")).hasToString("123456789012345678901234567890");
        assertThat(row.row().get("price")).hasToString("12.50");
    }
}
