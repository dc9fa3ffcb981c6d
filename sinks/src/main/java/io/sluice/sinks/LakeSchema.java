package io.sluice.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.schemas.CuratedFields;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The column types of one table-hour, inferred from its rows and widened as new rows arrive, so
 * that a compaction pass that merges late rows into an hour never loses a value: whole numbers
 * widen to doubles, anything mixed widens to text.
 */
final class LakeSchema {
    enum ColumnType { BOOLEAN, LONG, DOUBLE, STRING, TIMESTAMP_MILLIS }

    private final Map<String, ColumnType> columns = new LinkedHashMap<>();

    /** Starts from the schema of files already in the hour, so their columns keep their place and type. */
    static LakeSchema startingFrom(Schema existing) {
        LakeSchema schema = new LakeSchema();
        if (existing != null) {
            for (Schema.Field field : existing.getFields()) {
                schema.columns.put(field.name(), typeOf(field.schema()));
            }
        }
        return schema;
    }

    /** Widens the column types with another file's schema (for a table-wide view over hours). */
    void widenWith(Schema other) {
        for (Schema.Field field : other.getFields()) {
            ColumnType seen = typeOf(field.schema());
            ColumnType known = columns.get(field.name());
            columns.put(field.name(), known == null ? seen : widen(known, seen));
        }
    }

    /** Adds the table's declared column types (widening any type already known): they hold even for an hour's nulls. */
    void declare(Map<String, ColumnType> declared) {
        declared.forEach((column, type) -> columns.merge(avroName(column), type, (known, d) -> known == null ? d : widen(known, d)));
    }

    /** Widens the column types with one row; a column seen only as null becomes text. */
    void observe(Map<String, Object> row) {
        for (Map.Entry<String, Object> column : row.entrySet()) {
            String name = column.getKey();
            ColumnType seen = name.equals(CuratedFields.EVENT_TIME) ? ColumnType.TIMESTAMP_MILLIS : typeOf(column.getValue());
            ColumnType known = columns.get(name);
            if (!columns.containsKey(name) || known == null) {
                columns.put(name, seen);
            } else if (seen != null) {
                columns.put(name, widen(known, seen));
            }
        }
    }

    /** The Avro schema of the table-hour: every column optional. */
    Schema toAvro(String table) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Map.Entry<String, ColumnType> column : columns.entrySet()) {
            ColumnType columnType = column.getValue() == null ? ColumnType.STRING : column.getValue();
            Schema type = switch (columnType) {
                case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
                case LONG -> Schema.create(Schema.Type.LONG);
                case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
                case STRING -> Schema.create(Schema.Type.STRING);
                case TIMESTAMP_MILLIS -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            };
            fields.add(new Schema.Field(column.getKey(), Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                    null, Schema.Field.NULL_DEFAULT_VALUE));
        }
        return Schema.createRecord(avroName(table), "Sluice lake table " + table, "io.sluice.lake", false, fields);
    }

    /** Turns rows into records of {@link #toAvro}'s schema for the table, each value converted to its column's type. */
    RecordMaker recordMaker(String table) {
        return new RecordMaker(toAvro(table), columns.values().toArray(ColumnType[]::new));
    }

    /** Rows to records of one schema, column by column in the schema's order: one map lookup per column. */
    static final class RecordMaker {
        private final Schema schema;
        private final String[] names;
        private final ColumnType[] types;

        private RecordMaker(Schema schema, ColumnType[] types) {
            this.schema = schema;
            this.names = schema.getFields().stream().map(Schema.Field::name).toArray(String[]::new);
            this.types = types;
        }

        Schema schema() {
            return schema;
        }

        GenericRecord toRecord(Map<String, Object> row) {
            GenericData.Record record = new GenericData.Record(schema);
            for (int i = 0; i < names.length; i++) {
                Object value = row.get(names[i]);
                if (value != null) {
                    record.put(i, coerce(value, types[i] == null ? ColumnType.STRING : types[i]));
                }
            }
            return record;
        }
    }

    /**
     * A column name valid in Avro (letters, digits, underscore, not starting with a digit):
     * query engines then see the same name whatever reader they use.
     */
    static String avroName(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && digit)) {
                sb.append(c);
            } else if (digit) {
                sb.append('_').append(c);
            } else {
                sb.append('_');
            }
        }
        return sb.isEmpty() ? "_" : sb.toString();
    }

    private static Object coerce(Object value, ColumnType type) {
        return switch (type) {
            case BOOLEAN -> value;
            case LONG, TIMESTAMP_MILLIS -> ((Number) value).longValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case STRING -> value instanceof Map || value instanceof List ? json(value) : value.toString();
        };
    }

    private static String json(Object value) {
        try {
            return LakeJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write nested value as JSON", e);
        }
    }

    private static ColumnType typeOf(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean) {
            return ColumnType.BOOLEAN;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return ColumnType.LONG;
        }
        if (value instanceof Number && !(value instanceof BigInteger)) {
            return ColumnType.DOUBLE;
        }
        return ColumnType.STRING;
    }

    private static ColumnType typeOf(Schema fieldSchema) {
        Schema s = fieldSchema;
        if (s.getType() == Schema.Type.UNION) {
            s = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
        }
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return ColumnType.TIMESTAMP_MILLIS;
        }
        return switch (s.getType()) {
            case BOOLEAN -> ColumnType.BOOLEAN;
            case INT, LONG -> ColumnType.LONG;
            case FLOAT, DOUBLE -> ColumnType.DOUBLE;
            default -> ColumnType.STRING;
        };
    }

    private static ColumnType widen(ColumnType a, ColumnType b) {
        if (a == b) {
            return a;
        }
        if ((a == ColumnType.LONG && b == ColumnType.DOUBLE) || (a == ColumnType.DOUBLE && b == ColumnType.LONG)) {
            return ColumnType.DOUBLE;
        }
        if ((a == ColumnType.TIMESTAMP_MILLIS && b == ColumnType.LONG) || (a == ColumnType.LONG && b == ColumnType.TIMESTAMP_MILLIS)) {
            return ColumnType.TIMESTAMP_MILLIS;
        }
        return ColumnType.STRING;
    }
}
