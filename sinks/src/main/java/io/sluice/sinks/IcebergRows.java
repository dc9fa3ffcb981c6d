package io.sluice.sinks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Lake rows (arrays numbered by {@link LakeColumns}) as records of an Iceberg table's schema and
 * back, and the Iceberg type of each lake column type: booleans, longs, doubles and text as they
 * are, the event time as {@code timestamptz} (Iceberg's hour partitions need a timestamp).
 */
final class IcebergRows {
    private final Schema schema;
    private final int[] columnOfField;
    private final LakeColumns columns;
    private final String table;

    /** Converts rows numbered by {@code columns} for the table schema {@code schema}. */
    IcebergRows(String table, Schema schema, LakeColumns columns) {
        this.table = table;
        this.schema = schema;
        this.columns = columns;
        List<Types.NestedField> fields = schema.columns();
        this.columnOfField = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            columnOfField[i] = columns.numberOfAvroNameOrNew(fields.get(i).name());
        }
    }

    /** The Iceberg type of a lake column type. */
    static Type typeOf(LakeSchema.ColumnType type) {
        return switch (type == null ? LakeSchema.ColumnType.STRING : type) {
            case BOOLEAN -> Types.BooleanType.get();
            case LONG -> Types.LongType.get();
            case DOUBLE -> Types.DoubleType.get();
            case STRING -> Types.StringType.get();
            case TIMESTAMP_MILLIS -> Types.TimestampType.withZone();
        };
    }

    /** The schema of a new table with the lake columns {@code types} and their {@code docs}, every column optional. */
    static Schema schemaOf(Map<String, LakeSchema.ColumnType> types, Map<String, String> docs) {
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (Map.Entry<String, LakeSchema.ColumnType> column : types.entrySet()) {
            fields.add(Types.NestedField.optional(
                    id++, column.getKey(), typeOf(column.getValue()), docs.get(column.getKey())));
        }
        return new Schema(fields);
    }

    /** A row as a new record of the schema. */
    Record toRecord(Object[] row) {
        GenericRecord record = GenericRecord.create(schema);
        List<Types.NestedField> fields = schema.columns();
        for (int i = 0; i < columnOfField.length; i++) {
            Object value = LakeColumns.value(row, columnOfField[i]);
            record.set(i, value == null ? null : coerce(value, fields.get(i)));
        }
        return record;
    }

    /** A record read from one of the table's files as a row numbered by the columns. */
    Object[] toRow(Record record) {
        Object[] row = new Object[columns.size()];
        List<Types.NestedField> fields = record.struct().fields();
        for (int i = 0; i < fields.size(); i++) {
            Object value = record.get(i);
            int column = columns.numberOfAvroNameOrNew(fields.get(i).name());
            if (column >= row.length) {
                row = java.util.Arrays.copyOf(row, columns.size());
            }
            row[column] =
                    value instanceof OffsetDateTime time ? time.toInstant().toEpochMilli() : value;
        }
        return row;
    }

    private Object coerce(Object value, Types.NestedField field) {
        return switch (field.type().typeId()) {
            case BOOLEAN -> {
                if (value instanceof Boolean) {
                    yield value;
                }
                throw mismatch(field, "boolean", value);
            }
            case LONG -> {
                if (value instanceof Number n && (n.doubleValue() == Math.rint(n.doubleValue()))) {
                    yield n.longValue();
                }
                throw mismatch(field, "bigint", value);
            }
            case DOUBLE -> {
                if (value instanceof Number n) {
                    yield n.doubleValue();
                }
                throw mismatch(field, "double", value);
            }
            case TIMESTAMP -> {
                if (value instanceof Number n) {
                    yield OffsetDateTime.ofInstant(Instant.ofEpochMilli(n.longValue()), ZoneOffset.UTC);
                }
                throw mismatch(field, "timestamptz", value);
            }
            case STRING -> value instanceof Map || value instanceof List ? LakeSchema.json(value) : value.toString();
            default ->
                throw new IllegalStateException("column " + field.name() + " of Iceberg table " + table + " has type "
                        + field.type() + ", which Sluice does not write");
        };
    }

    /** Names the column, the table's type and the kind of value, never the value: it may be personal data. */
    private IllegalArgumentException mismatch(Types.NestedField field, String type, Object value) {
        return new IllegalArgumentException("column " + field.name() + " of Iceberg table " + table + " is " + type
                + " but a row holds a " + value.getClass().getSimpleName()
                + " that does not fit it (Iceberg widens int to bigint and float to double only); declare the column's"
                + " type, or rename the column");
    }
}
