package io.sluice.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CuratedRecordCodecTest {

    @Test
    void writesMetadataFirstThenMaskedColumnsOnly() {
        DecodedRecord decoded = new DecodedRecord(
                "users", "u", 1000L, false, null, DebeziumEvent.columns("id", 1L, "email", "raw@example.com"), null);

        String json = new String(
                CuratedRecordCodec.json(CuratedRecordCodec.row(decoded, DebeziumEvent.columns("id", 1L))),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"__op\":\"u\",\"__deleted\":false,\"__event_time\":1000,\"id\":1}");
    }

    @Test
    void sourceColumnsCannotOverrideMetadata() {
        DecodedRecord decoded = new DecodedRecord("events", null, 5L, false, null, Map.of(), null);

        String json = new String(
                CuratedRecordCodec.json(CuratedRecordCodec.row(decoded, DebeziumEvent.columns("__event_time", 99L))),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"__event_time\":5}");
    }

    @Test
    void keyWithoutSurvivingColumnsIsNull() {
        assertThat(CuratedRecordCodec.encodeKey(Map.of())).isNull();
        assertThat(new String(CuratedRecordCodec.encodeKey(DebeziumEvent.columns("id", 7L)), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":7}");
    }
}
