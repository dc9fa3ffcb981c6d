package io.sluice.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectLogicalTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "io.debezium.time.Date|7364|1990-03-01",
        "io.debezium.time.Timestamp|1719828000000|2024-07-01T10:00",
        "io.debezium.time.MicroTimestamp|1719828000123456|2024-07-01T10:00:00.123456",
        "io.debezium.time.NanoTimestamp|1719828000123456789|2024-07-01T10:00:00.123456789",
        "io.debezium.time.MicroTime|36000500000|10:00:00.500",
        "org.apache.kafka.connect.data.Timestamp|1719828000000|2024-07-01T10:00:00Z"})
    void decodesDatesAndTimesToIsoText(String logicalType, long value, String expected) throws Exception {
        JsonNode schema = JsonTree.MAPPER.readTree("{\"type\":\"int64\",\"name\":\"" + logicalType + "\"}");

        assertThat(ConnectLogicalTypes.decode(schema, JsonTree.MAPPER.getNodeFactory().numberNode(value))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"AeI6, 2, 1234.50", "BQ==, 2, 0.05", "/2o=, 2, -1.50", "MDk=, 3, 12.345"})
    void decodesPreciseDecimalsWithTheSchemasScale(String base64, int scale, String expected) throws Exception {
        JsonNode schema = JsonTree.MAPPER.readTree("{\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\","
                + "\"parameters\":{\"scale\":\"" + scale + "\"}}");

        assertThat(ConnectLogicalTypes.decode(schema, JsonTree.MAPPER.getNodeFactory().textNode(base64))).isEqualTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @CsvSource({"AeI6, 2, 1234.50"})
    void decodesVariableScaleDecimals(String base64, int scale, String expected) throws Exception {
        JsonNode schema = JsonTree.MAPPER.readTree("{\"type\":\"struct\",\"name\":\"io.debezium.data.VariableScaleDecimal\"}");
        JsonNode value = JsonTree.MAPPER.readTree("{\"scale\":" + scale + ",\"value\":\"" + base64 + "\"}");

        assertThat(ConnectLogicalTypes.decode(schema, value)).isEqualTo(new BigDecimal(expected));
    }
}
