package io.sluice.serdes;

import static io.sluice.serdes.DebeziumEvent.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DebeziumJsonDecoderTest {
    private final DebeziumJsonDecoder decoder = new DebeziumJsonDecoder("users");

    @Test
    void decodesInsertAfterImageWithCommitTimeAsEventTime() throws Exception {
        byte[] value = DebeziumEvent.insert()
                .committedAt(1_763_776_800_000L)
                .after("id", 1, "email", "a@b.com")
                .bytes();

        DecodedRecord row = (DecodedRecord) decoder.decode(utf8("{\"id\":1}"), value);

        assertThat(row.op()).isEqualTo("c");
        assertThat(row.eventTimeMs()).isEqualTo(1_763_776_800_000L);
        assertThat(row.row()).containsEntry("id", 1L).containsEntry("email", "a@b.com");
        assertThat(row.key()).containsEntry("id", 1L);
        assertThat(row.deleted()).isFalse();
    }

    @Test
    void decodesSchemaWrappedValuesAndKeys() throws Exception {
        byte[] value = DebeziumEvent.update()
                .after("id", 2, "tier", "gold")
                .withSchemaWrapper()
                .bytes();
        byte[] key = utf8("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"id\":2}}");

        DecodedRecord row = (DecodedRecord) decoder.decode(key, value);

        assertThat(row.row()).containsEntry("tier", "gold");
        assertThat(row.key()).containsEntry("id", 2L);
    }

    @Test
    void deleteYieldsBeforeImageMarkedDeleted() throws Exception {
        DecodedRecord row = (DecodedRecord)
                decoder.decode(null, DebeziumEvent.delete().before("id", 3).bytes());

        assertThat(row.deleted()).isTrue();
        assertThat(row.row()).containsEntry("id", 3L);
    }

    @Test
    void snapshotReadIsARow() throws Exception {
        assertThat(decoder.decode(null, DebeziumEvent.read().after("id", 4).bytes()))
                .isInstanceOf(DecodedRecord.class);
    }

    @Test
    void skipsTombstonesTruncatesAndMessages() throws Exception {
        assertThat(decoder.decode(utf8("{\"id\":1}"), null)).isEqualTo(new DecodeOutcome.Skipped("tombstone"));
        assertThat(decoder.decode(null, new DebeziumEvent().op("t").bytes()))
                .isEqualTo(new DecodeOutcome.Skipped("truncate"));
        assertThat(decoder.decode(null, new DebeziumEvent().op("m").bytes()))
                .isEqualTo(new DecodeOutcome.Skipped("message"));
    }

    @Test
    void malformedJsonErrorNamesThePositionButNeverTheContent() {
        assertThatThrownBy(() -> decoder.decode(null, utf8("{\"op\":\"c\",\"after\":{\"email\":kim@example.com}}")))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("not valid JSON at line 1")
                .message()
                .doesNotContain("kim");
    }

    @Test
    void rejectsEventsWithoutOpOrImage() {
        assertThatThrownBy(() -> decoder.decode(null, utf8("{\"after\":{\"id\":1}}")))
                .hasMessageContaining("'op'");
        assertThatThrownBy(
                        () -> decoder.decode(null, new DebeziumEvent().op("c").bytes()))
                .hasMessageContaining("no 'after' object");
    }

    @Test
    void keepsNestedJsonAsTextAndLargeNumbersExact() throws Exception {
        byte[] value = utf8(
                "{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"attrs\":{\"a\":1},\"big\":123456789012345678901234567890,\"price\":12.50}}");

        DecodedRecord row = (DecodedRecord) decoder.decode(null, value);

        assertThat(row.row().get("attrs")).isEqualTo("{\"a\":1}");
        assertThat(row.row().get("big")).hasToString("123456789012345678901234567890");
        assertThat(row.row().get("price")).hasToString("12.50");
    }

    @Test
    void aNumberWithAnAbsurdExponentIsOutOfRangeNamingTheFieldNotTheValue() {
        for (String number : new String[] {"1e-2000000000", "1e999999999", "1e-3000000000"}) {
            assertThatThrownBy(() -> decoder.decode(
                            null, utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"price\":" + number + "}}")))
                    .isInstanceOf(DecodeException.class)
                    .hasMessageNotContaining(number.substring(1))
                    .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
        }
    }

    @Test
    void aThousandDigitNumberDecodesButOneLongerThanAnyDatabasesIsOutOfRange() throws Exception {
        String thousand = "9".repeat(1000);
        DecodedRecord row = (DecodedRecord) decoder.decode(
                null, utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"n\":" + thousand + "}}"));
        assertThat(row.row().get("n")).isEqualTo(new java.math.BigDecimal(thousand));

        String tooLong = "9".repeat(NumberBounds.MAX_TEXT_LENGTH + 1);
        assertThatThrownBy(() -> decoder.decode(
                        null, utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"n\":" + tooLong + "}}")))
                .isInstanceOf(DecodeException.class)
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
    }

    @Test
    void nestingDeeperThanTheLimitIsNestingTooDeepNotMalformed() {
        String deep = "[".repeat(JsonTree.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonTree.MAX_NESTING_DEPTH + 1);

        assertThatThrownBy(() -> decoder.decode(
                        null, utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"tags\":" + deep + "}}")))
                .isInstanceOf(DecodeException.class)
                .hasMessage("value nests arrays and objects deeper than 1000 levels")
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("nesting-too-deep"));
    }

    @Test
    void schemaWrappedTimeOfTwentyFourHundredAndNanFloatsDecode() throws Exception {
        String value =
                "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"after\",\"type\":\"struct\",\"fields\":["
                        + "{\"field\":\"t\",\"type\":\"int64\",\"name\":\"io.debezium.time.MicroTime\"},"
                        + "{\"field\":\"f\",\"type\":\"double\"}]}]},"
                        + "\"payload\":{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"t\":86400000000,\"f\":\"NaN\"}}}";

        DecodedRecord row = (DecodedRecord) decoder.decode(null, utf8(value));

        assertThat(row.row()).containsEntry("t", "24:00:00").containsEntry("f", Double.NaN);
    }
}
