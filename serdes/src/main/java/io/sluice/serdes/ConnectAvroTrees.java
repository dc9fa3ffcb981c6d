package io.sluice.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a record written by Kafka Connect's Avro converter (Confluent's or Apicurio's) into the
 * JSON converter's schema-enabled form, {@code {"schema": ..., "payload": ...}}, so one decoder
 * serves every converter. Connect keeps its logical type names in the Avro schema
 * ({@code connect.name}, {@code connect.parameters}); bytes become base64 as the JSON converter
 * writes them, and optional fields (unions with null) their value or null.
 */
final class ConnectAvroTrees {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ConnectAvroTrees() {}

    /** The wrapped tree of a datum of a schema. */
    static JsonNode wrapped(Schema schema, Object datum) {
        ObjectNode out = F.objectNode();
        out.set("schema", connectSchema(schema));
        out.set("payload", payload(schema, datum));
        return out;
    }

    private static JsonNode connectSchema(Schema schema) {
        Schema s = nonNull(schema);
        ObjectNode out = F.objectNode();
        String connectName = s.getProp("connect.name");
        if (s.getType() == Schema.Type.RECORD) {
            out.put("type", "struct");
            ArrayNode fields = out.putArray("fields");
            for (Schema.Field field : s.getFields()) {
                ObjectNode f = (ObjectNode) connectSchema(field.schema());
                f.put("field", field.name());
                fields.add(f);
            }
        } else {
            out.put("type", s.getType().getName());
        }
        if (connectName != null) {
            out.put("name", connectName);
        }
        ObjectNode parameters = F.objectNode();
        Object connectParameters = s.getObjectProp("connect.parameters");
        if (connectParameters instanceof Map<?, ?> map) {
            map.forEach((k, v) -> parameters.put(String.valueOf(k), String.valueOf(v)));
        }
        if (s.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            parameters.put("scale", String.valueOf(decimal.getScale()));
            if (connectName == null) {
                out.put("name", "org.apache.kafka.connect.data.Decimal");
            }
        }
        if (!parameters.isEmpty()) {
            out.set("parameters", parameters);
        }
        return out;
    }

    private static JsonNode payload(Schema schema, Object datum) {
        if (datum == null) {
            return F.nullNode();
        }
        Schema s = schema.getType() == Schema.Type.UNION
                ? schema.getTypes().get(GenericData.get().resolveUnion(schema, datum))
                : schema;
        return switch (s.getType()) {
            case RECORD -> {
                GenericRecord record = (GenericRecord) datum;
                ObjectNode out = F.objectNode();
                for (Schema.Field field : s.getFields()) {
                    out.set(field.name(), payload(field.schema(), record.get(field.pos())));
                }
                yield out;
            }
            case ARRAY -> {
                ArrayNode out = F.arrayNode();
                for (Object item : (List<?>) datum) {
                    out.add(payload(s.getElementType(), item));
                }
                yield out;
            }
            case MAP -> {
                ObjectNode out = F.objectNode();
                ((Map<?, ?>) datum).forEach((k, v) -> out.set(k.toString(), payload(s.getValueType(), v)));
                yield out;
            }
            case BYTES -> F.textNode(Base64.getEncoder().encodeToString(bytes((ByteBuffer) datum)));
            case FIXED -> F.textNode(Base64.getEncoder().encodeToString(((GenericData.Fixed) datum).bytes()));
            case INT -> F.numberNode((Integer) datum);
            case LONG -> F.numberNode((Long) datum);
            case FLOAT -> F.numberNode((Float) datum);
            case DOUBLE -> F.numberNode((Double) datum);
            case BOOLEAN -> F.booleanNode((Boolean) datum);
            default -> F.textNode(datum.toString()); // strings and enum symbols
        };
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream()
                .filter(t -> t.getType() != Schema.Type.NULL)
                .findFirst()
                .orElse(schema);
    }
}
