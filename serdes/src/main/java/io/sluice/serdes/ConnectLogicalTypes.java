package io.sluice.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Debezium's and Kafka Connect's logical types, decoded when the converter sends the schema (JSON
 * with {@code schemas.enable=true}, or Avro): dates and times become ISO-8601 text, decimals exact
 * BigDecimals within {@link NumberBounds}, floating-point columns Doubles. Every value a source
 * database stores decodes; docs/cdc-values.md tabulates what each becomes:
 * <ul>
 *   <li>times are {@code HH:MM:SS} with the fraction Java prints (3, 6 or 9 digits, none when zero),
 *   hours beyond 23 kept (PostgreSQL's {@code 24:00:00}, MySQL's {@code 838:59:59}) and a sign for
 *   negative durations (MySQL), never wrapped to another time of day;</li>
 *   <li>the sentinels Debezium writes for PostgreSQL's {@code infinity} and {@code -infinity} dates and
 *   timestamps become that text, as {@code timestamptz} already arrives;</li>
 *   <li>{@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} in a floating-point column (the JSON
 *   converter's text for them) become the Double they name; a {@code real} becomes the Double of its
 *   shortest decimal text, so JSON and Avro give the same number.</li>
 * </ul>
 * Without the schema a {@code precise} decimal is base64 bytes whose scale nobody knows, which is why
 * such sources should use {@code decimal.handling.mode=string} or send schemas.
 */
final class ConnectLogicalTypes {
    private static final long MILLIS_PER_SECOND = 1_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** PostgreSQL JDBC's {@code DATE_POSITIVE_INFINITY} and {@code DATE_NEGATIVE_INFINITY}, in milliseconds. */
    private static final long PG_INFINITY = 9_223_372_036_825_200_000L;

    private static final long PG_MINUS_INFINITY = -9_223_372_036_832_400_000L;
    /** Debezium's epoch days for PostgreSQL's {@code infinity}: streamed, and read by a snapshot (JDBC, connector in UTC). */
    private static final long PG_INFINITY_DAY_STREAMED = -2_147_472_692L;

    private static final long PG_INFINITY_DAY_SNAPSHOT = -622_191_234L;
    private static final long PG_MINUS_INFINITY_DAY_STREAMED = -2_147_472_691L;
    private static final long PG_MINUS_INFINITY_DAY_SNAPSHOT = -625_821_272L;

    private ConnectLogicalTypes() {}

    /**
     * The value of a field, given its schema from the envelope (or null when there is none).
     *
     * @param field names the field in a failure's message
     * @throws DecodeException {@code number-out-of-range} for a number beyond {@link NumberBounds},
     *                         {@code bad-field-type} for a value its logical type cannot hold
     */
    static Object decode(JsonNode fieldSchema, JsonNode value, String field) throws DecodeException {
        if (value == null || value.isNull() || fieldSchema == null) {
            return JsonTree.sourceValue(value, field);
        }
        String name = fieldSchema.path("name").asText("");
        return switch (name) {
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> date(whole(value, field), field);
            case "io.debezium.time.Timestamp" ->
                timestamp(whole(value, field), MILLIS_PER_SECOND, PG_INFINITY / 1000, PG_MINUS_INFINITY / 1000);
            case "io.debezium.time.MicroTimestamp" ->
                timestamp(whole(value, field), MICROS_PER_SECOND, PG_INFINITY, PG_MINUS_INFINITY);
            case "io.debezium.time.NanoTimestamp" ->
                timestamp(whole(value, field), NANOS_PER_SECOND, Long.MAX_VALUE, Long.MIN_VALUE);
            case "org.apache.kafka.connect.data.Timestamp" -> instant(whole(value, field));
            case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time" ->
                time(whole(value, field), MILLIS_PER_SECOND);
            case "io.debezium.time.MicroTime" -> time(whole(value, field), MICROS_PER_SECOND);
            case "io.debezium.time.NanoTime" -> time(whole(value, field), NANOS_PER_SECOND);
            case "org.apache.kafka.connect.data.Decimal" ->
                decimal(value, fieldSchema.path("parameters").path("scale"), field);
            case "io.debezium.data.VariableScaleDecimal" -> decimal(value.path("value"), value.path("scale"), field);
            default ->
                switch (fieldSchema.path("type").asText("")) {
                    case "double", "float64" -> floatingPoint(value, false, field);
                    case "float", "float32" -> floatingPoint(value, true, field);
                    default -> JsonTree.sourceValue(value, field);
                };
        };
    }

    private static long whole(JsonNode value, String field) throws DecodeException {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new DecodeException(
                    "bad-field-type", field + " is not the whole number its temporal type is written as");
        }
        return value.longValue();
    }

    private static String date(long epochDay, String field) throws DecodeException {
        if (epochDay == PG_INFINITY_DAY_STREAMED || epochDay == PG_INFINITY_DAY_SNAPSHOT) {
            return "infinity";
        }
        if (epochDay == PG_MINUS_INFINITY_DAY_STREAMED || epochDay == PG_MINUS_INFINITY_DAY_SNAPSHOT) {
            return "-infinity";
        }
        try {
            return LocalDate.ofEpochDay(epochDay).toString();
        } catch (DateTimeException e) {
            // Only int days come from a database; a long beyond a billion years is not a date.
            throw new DecodeException("bad-field-type", field + " is a day beyond the range of dates");
        }
    }

    /** A timestamp without time zone: any long is within LocalDateTime's range at these units. */
    private static String timestamp(long amount, long perSecond, long infinity, long minusInfinity) {
        if (amount == infinity) {
            return "infinity";
        }
        if (amount == minusInfinity) {
            return "-infinity";
        }
        Instant at = Instant.ofEpochSecond(
                Math.floorDiv(amount, perSecond), Math.floorMod(amount, perSecond) * (NANOS_PER_SECOND / perSecond));
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC).toString();
    }

    private static String instant(long epochMilli) {
        if (epochMilli == PG_INFINITY / 1000) {
            return "infinity";
        }
        if (epochMilli == PG_MINUS_INFINITY / 1000) {
            return "-infinity";
        }
        return Instant.ofEpochMilli(epochMilli).toString();
    }

    /**
     * A time of day or a duration as {@code [-]HH:MM:SS[.fraction]}: hours as many as there are, the
     * fraction in 3, 6 or 9 digits as {@link java.time.LocalTime#toString()} prints it.
     */
    static String time(long amount, long perSecond) {
        // Truncating division keeps the magnitude in range even for Long.MIN_VALUE.
        long seconds = Math.abs(amount / perSecond);
        long nanos = Math.abs(amount % perSecond) * (NANOS_PER_SECOND / perSecond);
        StringBuilder out = new StringBuilder(24);
        if (amount < 0) {
            out.append('-');
        }
        long hours = seconds / 3600;
        if (hours < 10) {
            out.append('0');
        }
        out.append(hours).append(':');
        twoDigits(out, (seconds / 60) % 60).append(':');
        twoDigits(out, seconds % 60);
        if (nanos > 0) {
            String digits = Long.toString(NANOS_PER_SECOND + nanos).substring(1);
            out.append('.')
                    .append(
                            nanos % 1_000_000 == 0
                                    ? digits.substring(0, 3)
                                    : nanos % 1000 == 0 ? digits.substring(0, 6) : digits);
        }
        return out.toString();
    }

    private static StringBuilder twoDigits(StringBuilder out, long value) {
        return out.append(value < 10 ? "0" : "").append(value);
    }

    /**
     * Connect's Decimal: base64 of the big-endian two's-complement unscaled value (a JSON number when
     * the converter writes {@code decimal.format=NUMERIC}), within {@link NumberBounds}.
     */
    private static Object decimal(JsonNode unscaled, JsonNode scale, String field) throws DecodeException {
        if (unscaled.isNumber()) {
            return JsonTree.sourceValue(unscaled, field);
        }
        long s;
        if (scale.isMissingNode() || scale.isNull()) {
            s = 0;
        } else if (scale.isIntegralNumber() && scale.canConvertToLong()) {
            s = scale.longValue();
        } else if (scale.isTextual() && scale.textValue().matches("-?\\d{1,10}")) {
            s = Long.parseLong(scale.textValue()); // Connect's schema parameters are text
        } else {
            throw NumberBounds.outOfRange(field);
        }
        if (s > NumberBounds.MAX_FRACTION_DIGITS || s < -NumberBounds.MAX_INTEGER_DIGITS) {
            throw NumberBounds.outOfRange(field);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(unscaled.asText());
        } catch (IllegalArgumentException e) {
            return JsonTree.sourceValue(
                    unscaled,
                    field); // already text (decimal.handling.mode=string with a stale schema name): keep as sent
        }
        if (bytes.length == 0) {
            throw new DecodeException("bad-field-type", field + " is a decimal without digits");
        }
        return NumberBounds.check(new BigDecimal(new BigInteger(bytes), (int) s), field);
    }

    /** A float64 or float32 column as a Double; the JSON converter writes NaN and the infinities as text. */
    private static Object floatingPoint(JsonNode value, boolean single, String field) throws DecodeException {
        if (value.isTextual()) {
            return switch (value.textValue()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> value.textValue();
            };
        }
        if (!value.isNumber()) {
            return JsonTree.sourceValue(value, field);
        }
        if (value.isBigDecimal()) {
            NumberBounds.check(value.decimalValue(), field);
        }
        double d = value.isFloat() ? value.floatValue() : value.doubleValue();
        return single ? Double.parseDouble(Float.toString((float) d)) : d;
    }
}
