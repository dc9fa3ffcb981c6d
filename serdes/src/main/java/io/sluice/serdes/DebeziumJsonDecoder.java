package io.sluice.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.SourcePosition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes Debezium change events written by the JSON converter, with or without the
 * {@code {"schema": ..., "payload": ...}} wrapper ({@code schemas.enable}). With the schema,
 * Debezium's logical types are decoded ({@link ConnectLogicalTypes}): dates and times to ISO-8601
 * text, decimals (precise or variable-scale) to exact numbers.
 *
 * <p>Inserts, updates and snapshot reads yield the {@code after} row; deletes yield the
 * {@code before} row marked deleted (under PostgreSQL's REPLICA IDENTITY DEFAULT its non-key
 * columns are placeholders); tombstones, truncates and logical messages are skipped. Event time
 * is the source commit time ({@code source.ts_ms}), falling back to the envelope's {@code ts_ms};
 * the source position (LSN, binlog file/pos/row, GTID) is kept for ordering and deduplication.
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
        return decodeTrees(key == null ? null : JsonTree.parse(key, "key"), JsonTree.parse(value, "value"));
    }

    /**
     * Decodes one record already parsed to JSON trees, in either JSON converter form (the Avro
     * decoder hands its records over in the schema-enabled form).
     *
     * @param key    the key tree, or null
     * @param parsed the value tree
     */
    DecodeOutcome decodeTrees(JsonNode key, JsonNode parsed) throws DecodeException {
        JsonNode envelope = payload(parsed);
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
            case "c", "u", "r" -> row(envelope, schema(parsed), op, "after", false, key);
            case "d" -> row(envelope, schema(parsed), op, "before", true, key);
            case "t" -> new DecodeOutcome.Skipped("truncate");
            case "m" -> new DecodeOutcome.Skipped("message");
            default -> throw new DecodeException("unknown-op", "unknown Debezium operation code in field 'op'");
        };
    }

    private DecodedRecord row(
            JsonNode envelope, JsonNode envelopeSchema, String op, String image, boolean deleted, JsonNode key)
            throws DecodeException {
        JsonNode state = envelope.get(image);
        if (state == null || !state.isObject()) {
            throw new DecodeException("missing-field", "operation '" + op + "' has no '" + image + "' object");
        }
        return new DecodedRecord(
                table,
                op,
                eventTime(envelope),
                deleted,
                keyColumns(key),
                columns(state, fieldSchemas(structField(envelopeSchema, image))),
                SourcePosition.of(envelope.get("source")));
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

    private static Map<String, Object> keyColumns(JsonNode parsed) throws DecodeException {
        if (parsed == null) {
            return null;
        }
        JsonNode node = payload(parsed);
        return node != null && node.isObject() ? columns(node, fieldSchemas(schema(parsed))) : null;
    }

    private static Map<String, Object> columns(JsonNode object, Map<String, JsonNode> schemas) throws DecodeException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            row.put(
                    field.getKey(),
                    ConnectLogicalTypes.decode(
                            schemas.get(field.getKey()), field.getValue(), "field '" + field.getKey() + "'"));
        }
        return row;
    }

    /** Field name to field schema of a struct schema; empty when there is no schema. */
    private static Map<String, JsonNode> fieldSchemas(JsonNode structSchema) {
        Map<String, JsonNode> byName = new HashMap<>();
        if (structSchema != null) {
            for (JsonNode field : structSchema.path("fields")) {
                byName.put(field.path("field").asText(), field);
            }
        }
        return byName;
    }

    private static JsonNode structField(JsonNode envelopeSchema, String name) {
        if (envelopeSchema == null) {
            return null;
        }
        for (JsonNode field : envelopeSchema.path("fields")) {
            if (name.equals(field.path("field").asText())) {
                return field;
            }
        }
        return null;
    }

    private static boolean isWrapped(JsonNode node) {
        return node.isObject() && node.size() == 2 && node.has("schema") && node.has("payload");
    }

    /** The payload of a schema-enabled JSON converter record, or the node itself. */
    static JsonNode payload(JsonNode node) {
        return isWrapped(node) ? node.get("payload") : node;
    }

    private static JsonNode schema(JsonNode node) {
        return isWrapped(node) ? node.get("schema") : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
