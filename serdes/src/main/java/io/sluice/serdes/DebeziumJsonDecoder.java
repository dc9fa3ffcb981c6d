package io.sluice.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Decodes Debezium change events written by the JSON converter, with or without the
 * {@code {"schema": ..., "payload": ...}} wrapper ({@code value.converter.schemas.enable}).
 *
 * <p>Inserts, updates and snapshot reads yield the {@code after} row; deletes yield the
 * {@code before} row marked deleted; tombstones, truncates and logical messages are skipped.
 * Event time is the source commit time ({@code source.ts_ms}), falling back to the envelope's
 * {@code ts_ms}.
 */
public final class DebeziumJsonDecoder {
    private final String table;

    /** A decoder for one table's topic. */
    public DebeziumJsonDecoder(String table) {
        this.table = table;
    }

    /**
     * Decodes one record.
     *
     * @param key   the record key bytes, or null
     * @param value the record value bytes, or null for a tombstone
     */
    public DecodeOutcome decode(byte[] key, byte[] value) throws DecodeException {
        if (value == null) {
            return new DecodeOutcome.Skipped("tombstone");
        }
        JsonNode envelope = unwrap(JsonTree.parse(value, "value"));
        if (envelope == null || envelope.isNull()) {
            return new DecodeOutcome.Skipped("tombstone");
        }
        if (!envelope.isObject()) {
            throw new DecodeException("not-an-envelope", "value is not a Debezium envelope (expected a JSON object)");
        }
        String op = text(envelope, "op");
        if (op == null) {
            throw new DecodeException("missing-field", "value has no 'op' field; is this a Debezium change event?");
        }
        return switch (op) {
            case "c", "u", "r" -> row(envelope, op, "after", false, key);
            case "d" -> row(envelope, op, "before", true, key);
            case "t" -> new DecodeOutcome.Skipped("truncate");
            case "m" -> new DecodeOutcome.Skipped("message");
            default -> throw new DecodeException("unknown-op", "unknown Debezium operation code in field 'op'");
        };
    }

    private DecodedRecord row(JsonNode envelope, String op, String image, boolean deleted, byte[] key)
            throws DecodeException {
        JsonNode state = envelope.get(image);
        if (state == null || !state.isObject()) {
            throw new DecodeException("missing-field", "operation '" + op + "' has no '" + image + "' object");
        }
        return new DecodedRecord(table, op, eventTime(envelope), deleted, keyColumns(key),
                JsonTree.columns((ObjectNode) state));
    }

    private static long eventTime(JsonNode envelope) throws DecodeException {
        JsonNode source = envelope.get("source");
        if (source != null && source.path("ts_ms").canConvertToLong()) {
            return source.get("ts_ms").longValue();
        }
        if (envelope.path("ts_ms").canConvertToLong()) {
            return envelope.get("ts_ms").longValue();
        }
        throw new DecodeException("bad-event-time", "neither 'source.ts_ms' nor 'ts_ms' is a number");
    }

    private static Map<String, Object> keyColumns(byte[] key) throws DecodeException {
        if (key == null) {
            return null;
        }
        JsonNode node = unwrap(JsonTree.parse(key, "key"));
        return node != null && node.isObject() ? JsonTree.columns((ObjectNode) node) : null;
    }

    /** The payload of a schema-enabled JSON converter record, or the node itself. */
    static JsonNode unwrap(JsonNode node) {
        if (node.isObject() && node.size() == 2 && node.has("schema") && node.has("payload")) {
            return node.get("payload");
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
