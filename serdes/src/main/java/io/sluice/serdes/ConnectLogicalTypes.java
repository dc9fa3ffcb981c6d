package io.sluice.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Debezium's and Kafka Connect's logical types, decoded when the JSON converter sends the schema
 * ({@code schemas.enable=true}): dates and times become ISO-8601 text, decimals exact BigDecimals.
 * Without the schema a {@code precise} decimal is base64 bytes whose scale nobody knows, which is why
 * such sources should use {@code decimal.handling.mode=string} or send schemas.
 */
final class ConnectLogicalTypes {
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ConnectLogicalTypes() {
    }

    /** The value of a field, given its schema from the envelope (or null when there is none). */
    static Object decode(JsonNode fieldSchema, JsonNode value) {
        if (value == null || value.isNull() || fieldSchema == null) {
            return JsonTree.columnValue(value);
        }
        String name = fieldSchema.path("name").asText("");
        return switch (name) {
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" ->
                    LocalDate.ofEpochDay(value.asLong()).toString();
            case "io.debezium.time.Timestamp" -> LocalDateTime.ofInstant(Instant.ofEpochMilli(value.asLong()), ZoneOffset.UTC).toString();
            case "org.apache.kafka.connect.data.Timestamp" -> Instant.ofEpochMilli(value.asLong()).toString();
            case "io.debezium.time.MicroTimestamp" -> LocalDateTime.ofInstant(Instant.ofEpochSecond(
                    Math.floorDiv(value.asLong(), MICROS_PER_SECOND), Math.floorMod(value.asLong(), MICROS_PER_SECOND) * 1000), ZoneOffset.UTC).toString();
            case "io.debezium.time.NanoTimestamp" -> LocalDateTime.ofInstant(Instant.ofEpochSecond(
                    Math.floorDiv(value.asLong(), NANOS_PER_SECOND), Math.floorMod(value.asLong(), NANOS_PER_SECOND)), ZoneOffset.UTC).toString();
            case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time" -> LocalTime.ofNanoOfDay(value.asLong() * 1_000_000L).toString();
            case "io.debezium.time.MicroTime" -> LocalTime.ofNanoOfDay(value.asLong() * 1000L).toString();
            case "io.debezium.time.NanoTime" -> LocalTime.ofNanoOfDay(value.asLong()).toString();
            case "org.apache.kafka.connect.data.Decimal" -> decimal(value.asText(), fieldSchema.path("parameters").path("scale").asInt(0));
            case "io.debezium.data.VariableScaleDecimal" -> decimal(value.path("value").asText(), value.path("scale").asInt(0));
            default -> JsonTree.columnValue(value);
        };
    }

    /** Connect's Decimal: base64 of the big-endian two's-complement unscaled value. */
    private static Object decimal(String base64, int scale) {
        try {
            return new BigDecimal(new BigInteger(Base64.getDecoder().decode(base64)), scale);
        } catch (IllegalArgumentException e) {
            return base64; // already text (decimal.handling.mode=string with a stale schema name): keep as sent
        }
    }
}
