package io.sluice.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.schemas.CuratedFields;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
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
    enum ColumnType {
        BOOLEAN,
        LONG,
        DOUBLE,
        STRING,
        TIMESTAMP_MILLIS
    }

    private final Map<String, ColumnType> columns = new LinkedHashMap<>();

    /** Starts from the schema of files already in the hour, so their columns keep their place and type. */
    static LakeSchema startingFrom(Schema existing) {
        LakeSchema schema = new LakeSchema();
        if (existing != null) {
            for (Schema.Field field : existing.getFields()) {
                schema.columns.put(field.name(), typeHeldBy(field.schema()));
            }
        }
        return schema;
    }

    /** Widens the column types with another file's schema (for a table-wide view over hours). */
    void widenWith(Schema other) {
        for (Schema.Field field : other.getFields()) {
            ColumnType seen = typeHeldBy(field.schema());
            ColumnType known = columns.get(field.name());
            columns.put(field.name(), known == null ? seen : widen(known, seen));
        }
    }

    /** Adds the table's declared column types (widening any type already known): they hold even for an hour's nulls. */
    void declare(Map<String, ColumnType> declared) {
        declared.forEach((column, type) ->
                columns.merge(avroName(column), type, (known, d) -> known == null ? d : widen(known, d)));
    }

    /** Widens the column types with those some rows hold, numbered by {@code names}; a column seen only as null becomes text. */
    void observe(LakeColumns names, HeldTypes held) {
        ColumnType[] seen = Arrays.copyOf(held.types, names.size());
        for (int i = 0; i < seen.length; i++) {
            String name = names.avroName(i);
            ColumnType type = name.equals(CuratedFields.EVENT_TIME) ? ColumnType.TIMESTAMP_MILLIS : seen[i];
            ColumnType known = columns.get(name);
            if (known == null) {
                columns.put(name, type);
            } else if (type != null) {
                columns.put(name, widen(known, type));
            }
        }
    }

    /** The columns by Avro name, in order, with their types (null: only nulls seen). */
    Map<String, ColumnType> columnTypes() {
        return java.util.Collections.unmodifiableMap(columns);
    }

    /** Leaves a column out of the table's schema: one that only tier 0 has. */
    void forget(String column) {
        columns.remove(avroName(column));
    }

    /**
     * The types a pass's rows hold per column number, gathered row by row or from tier-0 headers
     * before they go into the schema: widening is a join, so the order does not matter.
     */
    static final class HeldTypes {
        private ColumnType[] types = new ColumnType[0];

        /** The types of one row's values. */
        void see(Object[] row) {
            for (int i = 0; i < row.length; i++) {
                if (row[i] != null) {
                    see(i, typeOf(row[i]));
                }
            }
        }

        /** Types by column number, as a tier-0 header gives them (null: only nulls). */
        void see(ColumnType[] byColumn) {
            for (int i = 0; i < byColumn.length; i++) {
                if (byColumn[i] != null) {
                    see(i, byColumn[i]);
                }
            }
        }

        private void see(int column, ColumnType type) {
            if (column >= types.length) {
                types = Arrays.copyOf(types, column + 1);
            }
            types[column] = types[column] == null ? type : widen(types[column], type);
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
            fields.add(new Schema.Field(
                    column.getKey(),
                    Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                    null,
                    Schema.Field.NULL_DEFAULT_VALUE));
        }
        return Schema.createRecord(avroName(table), "Sluice lake table " + table, "io.sluice.lake", false, fields);
    }

    /** Turns rows numbered by {@code names} into records of {@link #toAvro}'s schema for the table. */
    RecordMaker recordMaker(String table, LakeColumns names) {
        return new RecordMaker(toAvro(table), columns.values().toArray(ColumnType[]::new), names);
    }

    /** Rows to records of one schema, field by field: an array lookup per field, each value converted to its type. */
    static final class RecordMaker {
        private final Schema schema;
        private final int[] columnOfField;
        private final ColumnType[] types;
        private final GenericData.Record reused;

        private RecordMaker(Schema schema, ColumnType[] types, LakeColumns names) {
            this.schema = schema;
            this.types = types;
            this.columnOfField = schema.getFields().stream()
                    .mapToInt(f -> names.numberOfAvroName(f.name()))
                    .toArray();
            this.reused = new GenericData.Record(schema);
        }

        Schema schema() {
            return schema;
        }

        /** The row as a new record of the schema; safe on any thread. */
        GenericRecord newRecord(Object[] row) {
            return fill(new GenericData.Record(schema), row);
        }

        /**
         * The row as a record of the schema. The same record object comes back on every call, filled
         * anew: a Parquet writer encodes a record as it is handed over and keeps nothing of it.
         */
        GenericRecord toRecord(Object[] row) {
            return fill(reused, row);
        }

        private GenericData.Record fill(GenericData.Record record, Object[] row) {
            for (int field = 0; field < columnOfField.length; field++) {
                Object value = LakeColumns.value(row, columnOfField[field]);
                record.put(
                        field,
                        value == null ? null : coerce(value, types[field] == null ? ColumnType.STRING : types[field]));
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
            // as is when already of the type: boxing anew would cost an allocation per value
            case LONG, TIMESTAMP_MILLIS -> value instanceof Long ? value : (Object) ((Number) value).longValue();
            case DOUBLE -> value instanceof Double ? value : (Object) ((Number) value).doubleValue();
            // CharSequence as is: Avro's Utf8 from a tier-0 object goes to Parquet without a String copy
            case STRING ->
                value instanceof CharSequence
                        ? value
                        : value instanceof Map || value instanceof List ? json(value) : value.toString();
        };
    }

    static String json(Object value) {
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

    /**
     * The type of an Avro field's values as the compactor types them — a tier-0 object's field (as
     * {@link #observe} would type the values themselves) or a compacted file's: its union's branches
     * widened together, null for a field that only ever held nulls. Decimals become doubles, like
     * decimal values read from JSON.
     */
    static ColumnType typeHeldBy(Schema fieldSchema) {
        if (fieldSchema.getType() != Schema.Type.UNION) {
            return branchType(fieldSchema);
        }
        ColumnType held = null;
        for (Schema branch : fieldSchema.getTypes()) {
            ColumnType type = branchType(branch);
            held = held == null ? type : type == null ? held : widen(held, type);
        }
        return held;
    }

    private static ColumnType branchType(Schema branch) {
        if (branch.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return ColumnType.TIMESTAMP_MILLIS; // a compacted file's event time
        }
        return switch (branch.getType()) {
            case NULL -> null;
            case BOOLEAN -> ColumnType.BOOLEAN;
            case INT, LONG -> ColumnType.LONG;
            case FLOAT, DOUBLE -> ColumnType.DOUBLE;
            case BYTES, FIXED ->
                branch.getLogicalType() instanceof LogicalTypes.Decimal ? ColumnType.DOUBLE : ColumnType.STRING;
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
        if ((a == ColumnType.TIMESTAMP_MILLIS && b == ColumnType.LONG)
                || (a == ColumnType.LONG && b == ColumnType.TIMESTAMP_MILLIS)) {
            return ColumnType.TIMESTAMP_MILLIS;
        }
        return ColumnType.STRING;
    }
}
