package io.sluice.serdes;

import static io.sluice.serdes.DebeziumEvent.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MmpEventDecoderTest {
    private final MmpEventDecoder decoder = new MmpEventDecoder("events", "event_time");

    @Test
    void decodesAppsFlyerEventWithEventValueKeptAsText() throws Exception {
        byte[] value = utf8("{\"appsflyer_id\":\"1690000000000-123\",\"event_name\":\"af_purchase\","
                + "\"event_time\":\"2026-11-22 03:15:42.123\",\"event_value\":\"{\\\"af_revenue\\\":\\\"9.99\\\"}\"}");

        DecodedRecord row = (DecodedRecord) decoder.decode(value);

        assertThat(row.eventTimeMs())
                .isEqualTo(Instant.parse("2026-11-22T03:15:42.123Z").toEpochMilli());
        assertThat(row.row())
                .containsEntry("event_value", "{\"af_revenue\":\"9.99\"}")
                .containsKey("appsflyer_id");
        assertThat(row.op()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "2026-11-22 03:15:42.123|2026-11-22T03:15:42.123Z",
                "2026-11-22 03:15:42|2026-11-22T03:15:42Z",
                "2026-11-22T03:15:42Z|2026-11-22T03:15:42Z",
                "2026-11-22T12:15:42+09:00|2026-11-22T03:15:42Z",
                "1763781342000|2025-11-22T03:15:42Z"
            })
    void acceptsCommonEventTimeForms(String text, String expected) throws Exception {
        assertThat(EventTimeParser.parseMillis(text))
                .isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @Test
    void rejectsMissingOrUnparsableEventTimeWithoutQuotingIt() {
        assertThatThrownBy(() -> decoder.decode(utf8("{\"event_name\":\"install\"}")))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("'event_time'");
        assertThatThrownBy(() -> decoder.decode(utf8("{\"event_time\":\"yesterday 010-1234-5678\"}")))
                .isInstanceOf(DecodeException.class)
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("bad-event-time"))
                .message()
                .doesNotContain("010-1234-5678");
    }

    @Test
    void rejectsNonObjects() {
        assertThatThrownBy(() -> decoder.decode(utf8("[1,2]"))).hasMessageContaining("not an MMP event");
    }

    @Test
    void typesKnownFieldsThatAppsFlyerSendsAsText() throws Exception {
        MmpEventDecoder typed = new MmpEventDecoder("events", "event_time", java.util.List.of(), true);

        DecodedRecord row = (DecodedRecord) typed.decode(utf8("{\"event_time\":\"2026-11-22 03:00:00.000\","
                + "\"event_revenue\":\"9.99\",\"is_retargeting\":\"false\",\"event_revenue_usd\":\"\",\"wifi\":true}"));

        assertThat(row.row())
                .containsEntry("event_revenue", new java.math.BigDecimal("9.99"))
                .containsEntry("is_retargeting", false)
                .containsEntry("event_revenue_usd", null)
                .containsEntry("wifi", true);
    }

    @Test
    void flattensConfiguredEventValueKeysIntoColumns() throws Exception {
        MmpEventDecoder flattening = new MmpEventDecoder(
                "events", "event_time", java.util.List.of("user_id", "comic_id", "screen_name"), true);

        DecodedRecord row = (DecodedRecord) flattening.decode(utf8("{\"event_time\":\"2026-11-22 03:00:00\","
                + "\"event_value\":\"{\\\"user_id\\\":42,\\\"screen_name\\\":\\\"viewer\\\"}\"}"));

        assertThat(row.row())
                .containsEntry("event_value_user_id", 42L)
                .containsEntry("event_value_screen_name", "viewer")
                .containsEntry("event_value_comic_id", null)
                .containsKey("event_value");
    }

    @Test
    void keepsUnknownFieldsInExtraInsteadOfFailingOrDropping() throws Exception {
        MmpEventDecoder typed = new MmpEventDecoder("events", "event_time", java.util.List.of(), true);

        DecodedRecord row =
                (DecodedRecord) typed.decode(utf8("{\"event_time\":\"2026-11-22 03:00:00\",\"platform\":\"ios\","
                        + "\"brand_new_field\":\"x\",\"another\":7}"));

        assertThat(row.row())
                .containsEntry("platform", "ios")
                .doesNotContainKeys("brand_new_field", "another")
                .containsEntry("extra", "{\"brand_new_field\":\"x\",\"another\":7}");
    }

    @Test
    void aKnownNumberThatIsNotOneIsAnErrorNamingTheField() {
        MmpEventDecoder typed = new MmpEventDecoder("events", "event_time", java.util.List.of(), true);

        assertThatThrownBy(() ->
                        typed.decode(utf8("{\"event_time\":\"2026-11-22 03:00:00\",\"event_revenue\":\"ten won\"}")))
                .isInstanceOf(DecodeException.class)
                .hasMessage("field 'event_revenue' is not a number")
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("bad-field-type"));
    }

    @Test
    void aRevenueWithAnAbsurdExponentIsOutOfRangeNotAMaskingFailure() {
        MmpEventDecoder typed = new MmpEventDecoder("events", "event_time", java.util.List.of(), true);

        for (String revenue :
                new String[] {"\"1e-2000000000\"", "\"1e999999999\"", "\"1e-3000000000\"", "1e-2000000000"}) {
            assertThatThrownBy(() -> typed.decode(
                            utf8("{\"event_time\":\"2026-11-22 03:00:00\",\"event_revenue_usd\":" + revenue + "}")))
                    .isInstanceOf(DecodeException.class)
                    .hasMessageStartingWith("field 'event_revenue_usd' holds a number beyond")
                    .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
        }
    }

    @Test
    void anUntypedFieldOrEventValueKeyWithAnAbsurdExponentIsOutOfRange() {
        MmpEventDecoder flattening = new MmpEventDecoder("events", "event_time", java.util.List.of("price"), false);

        assertThatThrownBy(
                        () -> flattening.decode(utf8("{\"event_time\":\"2026-11-22 03:00:00\",\"score\":1e999999999}")))
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
        assertThatThrownBy(() -> flattening.decode(utf8(
                        "{\"event_time\":\"2026-11-22 03:00:00\",\"event_value\":\"{\\\"price\\\":1e-2000000000}\"}")))
                .hasMessageStartingWith("field 'event_value_price' holds a number beyond")
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
        assertThatThrownBy(() -> flattening.decode(utf8(
                        "{\"event_time\":\"2026-11-22 03:00:00\",\"event_value\":\"{\\\"price\\\":1e-3000000000}\"}")))
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
    }

    @Test
    void aLongRevenueWithinTheBoundsKeepsEveryDigit() throws Exception {
        MmpEventDecoder typed = new MmpEventDecoder("events", "event_time", java.util.List.of(), true);
        String digits = "1".repeat(1000) + "." + "5".repeat(30);

        DecodedRecord row = (DecodedRecord)
                typed.decode(utf8("{\"event_time\":\"2026-11-22 03:00:00\",\"event_revenue_usd\":\"" + digits + "\"}"));

        assertThat(row.row()).containsEntry("event_revenue_usd", new java.math.BigDecimal(digits));
    }
}
