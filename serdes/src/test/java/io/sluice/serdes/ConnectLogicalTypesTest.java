package io.sluice.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectLogicalTypesTest {
    private static final JsonNodeFactory F = JsonTree.MAPPER.getNodeFactory();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "io.debezium.time.Date|7364|1990-03-01",
                "io.debezium.time.Timestamp|1719828000000|2024-07-01T10:00",
                "io.debezium.time.MicroTimestamp|1719828000123456|2024-07-01T10:00:00.123456",
                "io.debezium.time.NanoTimestamp|1719828000123456789|2024-07-01T10:00:00.123456789",
                "io.debezium.time.MicroTime|36000500000|10:00:00.500",
                "org.apache.kafka.connect.data.Timestamp|1719828000000|2024-07-01T10:00:00Z"
            })
    void decodesDatesAndTimesToIsoText(String logicalType, long value, String expected) throws Exception {
        assertThat(decode(logicalType, "int64", F.numberNode(value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "io.debezium.time.MicroTime|86400000000|24:00:00",
                "io.debezium.time.Time|86400000|24:00:00",
                "org.apache.kafka.connect.data.Time|86400000|24:00:00",
                "io.debezium.time.NanoTime|86400000000000|24:00:00",
                "io.debezium.time.MicroTime|0|00:00:00",
                "io.debezium.time.MicroTime|86399999999|23:59:59.999999",
                "io.debezium.time.MicroTime|1|00:00:00.000001",
                "io.debezium.time.NanoTime|1000|00:00:00.000001",
                "io.debezium.time.Time|1000|00:00:01",
                "io.debezium.time.MicroTime|3020399000000|838:59:59",
                "io.debezium.time.MicroTime|-3020399000000|-838:59:59",
                "io.debezium.time.MicroTime|-1|-00:00:00.000001",
                "io.debezium.time.NanoTime|-9223372036854775808|-2562047:47:16.854775808"
            })
    void decodesTimesPastMidnightAndNegativeDurationsWithoutWrapping(String logicalType, long value, String expected)
            throws Exception {
        assertThat(decode(logicalType, "int64", F.numberNode(value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "io.debezium.time.Date|-2147472692|infinity",
                "io.debezium.time.Date|-622191234|infinity",
                "io.debezium.time.Date|-2147472691|-infinity",
                "io.debezium.time.Date|-625821272|-infinity",
                "org.apache.kafka.connect.data.Date|-622191234|infinity",
                "io.debezium.time.Timestamp|9223372036825200|infinity",
                "io.debezium.time.Timestamp|-9223372036832400|-infinity",
                "io.debezium.time.MicroTimestamp|9223372036825200000|infinity",
                "io.debezium.time.MicroTimestamp|-9223372036832400000|-infinity",
                "io.debezium.time.NanoTimestamp|9223372036854775807|infinity",
                "io.debezium.time.NanoTimestamp|-9223372036854775808|-infinity",
                "org.apache.kafka.connect.data.Timestamp|9223372036825200|infinity",
                "org.apache.kafka.connect.data.Timestamp|-9223372036832400|-infinity"
            })
    void decodesPostgresInfinitySentinelsToInfinityText(String logicalType, long value, String expected)
            throws Exception {
        assertThat(decode(logicalType, "int64", F.numberNode(value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "io.debezium.time.Date|-735160|-0043-03-15",
                "io.debezium.time.Date|-2440550|-4712-01-01",
                "io.debezium.time.Date|2932896|9999-12-31",
                "io.debezium.time.Date|2145042905|+5874897-12-31",
                "io.debezium.time.MicroTimestamp|-63517780800000000|-0043-03-15T12:00",
                "io.debezium.time.MicroTimestamp|253402300799999999|9999-12-31T23:59:59.999999",
                "io.debezium.time.Timestamp|9224318015999000|+294276-12-31T23:59:59",
                "io.debezium.time.MicroTimestamp|9223372036854775807|+294247-01-10T04:00:54.775807"
            })
    void decodesBcAndFarFutureDatesWithSignedYears(String logicalType, long value, String expected) throws Exception {
        assertThat(decode(logicalType, "int64", F.numberNode(value))).isEqualTo(expected);
    }

    @Test
    void aTemporalValueThatIsNotAWholeNumberIsABadFieldTypeNamingTheField() {
        assertThatThrownBy(() -> ConnectLogicalTypes.decode(
                        schema("io.debezium.time.MicroTime", "int64"), F.textNode("noon"), "field 't'"))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("field 't'")
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("bad-field-type"));
        assertThatThrownBy(() -> ConnectLogicalTypes.decode(
                        schema("io.debezium.time.Date", "int32"), F.numberNode(Long.MAX_VALUE), "field 'd'"))
                .isInstanceOf(DecodeException.class)
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("bad-field-type"));
    }

    @ParameterizedTest
    @CsvSource({"AeI6, 2, 1234.50", "BQ==, 2, 0.05", "/2o=, 2, -1.50", "MDk=, 3, 12.345"})
    void decodesPreciseDecimalsWithTheSchemasScale(String base64, int scale, String expected) throws Exception {
        assertThat(ConnectLogicalTypes.decode(decimalSchema(scale), F.textNode(base64), "field 'd'"))
                .isEqualTo(new BigDecimal(expected));
    }

    @Test
    void decodesAConnectDecimalWrittenAsAJsonNumber() throws Exception {
        assertThat(ConnectLogicalTypes.decode(decimalSchema(2), F.numberNode(new BigDecimal("1234.50")), "field 'd'"))
                .isEqualTo(new BigDecimal("1234.50"));
    }

    @ParameterizedTest
    @CsvSource({"AeI6, 2, 1234.50", "AQ==, 16383, 1E-16383"})
    void decodesVariableScaleDecimals(String base64, int scale, String expected) throws Exception {
        assertThat(ConnectLogicalTypes.decode(variableScaleSchema(), variableScale(base64, scale), "field 'n'"))
                .isEqualTo(new BigDecimal(expected));
    }

    @Test
    void decodesAThousandDigitVariableScaleDecimal() throws Exception {
        BigInteger nines = new BigInteger("9".repeat(1000));

        Object decoded =
                ConnectLogicalTypes.decode(variableScaleSchema(), variableScale(base64(nines), 0), "field 'n'");

        assertThat(decoded).isEqualTo(new BigDecimal(nines));
    }

    @Test
    void aDecimalWhoseScaleIsBeyondAnyDatabasesIsOutOfRangeWithoutTheValue() {
        assertThatThrownBy(() -> ConnectLogicalTypes.decode(
                        variableScaleSchema(), variableScale("AQ==", 2_000_000_000), "field 'n'"))
                .isInstanceOf(DecodeException.class)
                .hasMessageStartingWith("field 'n' holds a number beyond")
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
        assertThatThrownBy(() -> ConnectLogicalTypes.decode(decimalSchema(-200_000), F.textNode("AQ=="), "field 'd'"))
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
        assertThatThrownBy(() -> ConnectLogicalTypes.decode(
                        variableScaleSchema(), variableScale("AQ==", 0).put("scale", 99_999_999_999L), "field 'n'"))
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
    }

    @Test
    void aDecimalWithMoreDigitsThanAnyDatabaseStoresIsOutOfRange() {
        BigInteger tooLong = BigInteger.TEN.pow(NumberBounds.MAX_INTEGER_DIGITS);

        assertThatThrownBy(() -> ConnectLogicalTypes.decode(
                        variableScaleSchema(), variableScale(base64(tooLong), 0), "field 'n'"))
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
    }

    @Test
    void decodesFloatingPointSpecialValuesTheJsonConverterWritesAsText() throws Exception {
        assertThat(decode("", "double", F.textNode("NaN"))).isEqualTo(Double.NaN);
        assertThat(decode("", "double", F.textNode("Infinity"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(decode("", "double", F.textNode("-Infinity"))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(decode("", "float", F.textNode("NaN"))).isEqualTo(Double.NaN);
    }

    @Test
    void decodesFloatingPointFromJsonAndAvroTreesToTheSameDouble() throws Exception {
        JsonNode json = JsonTree.MAPPER.readTree("[1.7976931348623157E308, 4.9E-324, 3.4028235E38, 1.4E-45, 0.1]");

        assertThat(decode("", "double", json.get(0)))
                .isEqualTo(Double.MAX_VALUE)
                .isEqualTo(decode("", "double", F.numberNode(Double.MAX_VALUE)));
        assertThat(decode("", "double", json.get(1)))
                .isEqualTo(Double.MIN_VALUE)
                .isEqualTo(decode("", "double", F.numberNode(Double.MIN_VALUE)));
        assertThat(decode("", "float", json.get(2)))
                .isEqualTo(3.4028235E38)
                .isEqualTo(decode("", "float", F.numberNode(Float.MAX_VALUE)));
        assertThat(decode("", "float", json.get(3)))
                .isEqualTo(1.4E-45)
                .isEqualTo(decode("", "float", F.numberNode(Float.MIN_VALUE)));
        assertThat(decode("", "float", json.get(4))).isEqualTo(0.1).isEqualTo(decode("", "float", F.numberNode(0.1f)));
        assertThat(decode("", "double", F.numberNode(Double.NaN))).isEqualTo(Double.NaN);
        assertThat(decode("", "float", F.numberNode(Float.NEGATIVE_INFINITY))).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void aFloatingPointColumnWithAnAbsurdExponentIsOutOfRange() throws Exception {
        JsonNode json = JsonTree.MAPPER.readTree("[1e-2000000000]");

        assertThatThrownBy(() -> ConnectLogicalTypes.decode(schema("", "double"), json.get(0), "field 'f'"))
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
    }

    private static Object decode(String logicalType, String type, JsonNode value) throws DecodeException {
        return ConnectLogicalTypes.decode(schema(logicalType, type), value, "field 'x'");
    }

    private static JsonNode schema(String logicalType, String type) {
        var schema = F.objectNode().put("type", type);
        if (!logicalType.isEmpty()) {
            schema.put("name", logicalType);
        }
        return schema;
    }

    private static JsonNode decimalSchema(int scale) {
        var schema = F.objectNode().put("type", "bytes").put("name", "org.apache.kafka.connect.data.Decimal");
        schema.putObject("parameters").put("scale", String.valueOf(scale));
        return schema;
    }

    private static JsonNode variableScaleSchema() {
        return schema("io.debezium.data.VariableScaleDecimal", "struct");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode variableScale(String base64, int scale) {
        return F.objectNode().put("scale", scale).put("value", base64);
    }

    private static String base64(BigInteger unscaled) {
        return Base64.getEncoder().encodeToString(unscaled.toByteArray());
    }
}
