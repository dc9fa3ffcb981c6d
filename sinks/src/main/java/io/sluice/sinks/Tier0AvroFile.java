package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * The Avro container form of a tier-0 object. Its schema is derived from the rows it holds, so
 * that any Avro reader (Athena, Spark, {@code avro-tools}) can read the object on its own: every
 * column a union of null and the kinds of value it holds (boolean, long, double, decimal with the
 * widest scale seen, string), every field named validly for Avro with the column's own name in the
 * field property {@code sluice.column} where the two differ.
 */
final class Tier0AvroFile {
    static final String COLUMN_PROPERTY = "sluice.column";
    /** File metadata: the earliest event time of the object's rows (epoch millis), which lets the compactor read it only when due. */
    static final String EARLIEST_EVENT_TIME = "sluice.earliest_event_time";

    private static final GenericData DATA = new GenericData();
    private static final Schema NULL = Schema.create(Schema.Type.NULL);

    static {
        DATA.addLogicalTypeConversion(new Conversions.DecimalConversion());
    }

    private Tier0AvroFile() {}

    /** Writes the rows (values already in tier-0 kinds) as one container file; returns the bytes written. */
    static long write(OutputStream out, String table, List<Map<String, Object>> rows) throws IOException {
        Map<String, ColumnShape> shapes = new LinkedHashMap<>();
        long earliest = Long.MAX_VALUE;
        for (Map<String, Object> row : rows) {
            row.forEach((column, value) ->
                    shapes.computeIfAbsent(column, c -> new ColumnShape()).see(value));
            earliest = Math.min(earliest, RowOrder.number(row.get(CuratedFields.EVENT_TIME)));
        }
        Schema schema = schema(table, shapes);
        List<ColumnShape> byField = new ArrayList<>(shapes.values());
        CountingStream counted = new CountingStream(out);
        try (DataFileWriter<GenericRecord> file =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema, DATA))) {
            file.setCodec(CodecFactory.snappyCodec());
            if (!rows.isEmpty()) {
                file.setMeta(EARLIEST_EVENT_TIME, earliest);
            }
            file.create(schema, counted);
            for (Map<String, Object> row : rows) {
                GenericData.Record record = new GenericData.Record(schema);
                int field = 0;
                for (Map.Entry<String, ColumnShape> column : shapes.entrySet()) {
                    Object value = row.get(column.getKey());
                    record.put(
                            field,
                            value instanceof BigDecimal d ? byField.get(field).rescale(d) : value);
                    field++;
                }
                file.append(record);
            }
        }
        return counted.count;
    }

    /**
     * Hands each row of the object to {@code rows}, as an array indexed by {@code columns}: text as
     * {@link CharSequence}, longs, doubles, booleans and decimals as {@link BigDecimal}. A file that
     * is not a tier-0 Avro object fails, named but not quoted.
     */
    static void read(InputStream in, String objectName, LakeColumns columns, Consumer<Object[]> rows)
            throws IOException {
        try (DataFileStream<GenericRecord> file =
                new DataFileStream<>(in, new GenericDatumReader<>(null, null, DATA))) {
            int[] columnOfField = columnsOf(file.getSchema(), columns);
            while (file.hasNext()) {
                GenericRecord record = file.next();
                Object[] row = new Object[columns.size()];
                for (int field = 0; field < columnOfField.length; field++) {
                    row[columnOfField[field]] = record.get(field);
                }
                rows.accept(row);
            }
        } catch (AvroRuntimeException e) {
            // never e.getMessage(): Avro's messages can quote the datum
            throw new IOException(objectName + " is not a readable tier-0 Avro object ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * What the object's header says about its rows without reading them: the type each column
     * holds, indexed by {@code columns} (which numbers them, as {@link #read} does), and the
     * earliest event time (the lowest long for objects written before it was recorded).
     */
    static Tier0Header header(InputStream in, String objectName, LakeColumns columns) throws IOException {
        try (DataFileStream<GenericRecord> file =
                new DataFileStream<>(in, new GenericDatumReader<>(null, null, DATA))) {
            int[] columnOfField = columnsOf(file.getSchema(), columns);
            LakeSchema.ColumnType[] types = new LakeSchema.ColumnType[columns.size()];
            for (Schema.Field field : file.getSchema().getFields()) {
                types[columnOfField[field.pos()]] = LakeSchema.typeHeldBy(field.schema());
            }
            String earliest = file.getMetaString(EARLIEST_EVENT_TIME);
            return new Tier0Header(types, earliest == null ? Long.MIN_VALUE : Long.parseLong(earliest));
        } catch (AvroRuntimeException | NumberFormatException e) {
            throw new IOException(objectName + " is not a readable tier-0 Avro object ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** What a tier-0 object's header tells about its rows: column types by column number, and the earliest event time. */
    record Tier0Header(LakeSchema.ColumnType[] types, long earliestEventTime) {}

    private static int[] columnsOf(Schema schema, LakeColumns columns) {
        List<Schema.Field> fields = schema.getFields();
        int[] columnOfField = new int[fields.size()];
        for (Schema.Field field : fields) {
            String column = field.getProp(COLUMN_PROPERTY);
            columnOfField[field.pos()] = columns.number(column != null ? column : field.name());
        }
        return columnOfField;
    }

    private static Schema schema(String table, Map<String, ColumnShape> shapes) {
        List<Schema.Field> fields = new ArrayList<>(shapes.size());
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, ColumnShape> column : shapes.entrySet()) {
            String base = LakeSchema.avroName(column.getKey());
            String name = base;
            for (int n = 2; !names.add(name); n++) {
                name = base + "_" + n;
            }
            Schema.Field field =
                    new Schema.Field(name, column.getValue().schema(), null, Schema.Field.NULL_DEFAULT_VALUE);
            if (!name.equals(column.getKey())) {
                field.addProp(COLUMN_PROPERTY, column.getKey());
            }
            fields.add(field);
        }
        return Schema.createRecord(
                LakeSchema.avroName(table), "Sluice tier-0 rows of " + table, "io.sluice.lake.raw", false, fields);
    }

    /** The kinds of value one column holds in an object, and its decimals' widest scale and precision. */
    private static final class ColumnShape {
        private boolean bool;
        private boolean whole;
        private boolean floating;
        private boolean decimal;
        private boolean text;
        private int scale;
        private int integerDigits = 1;

        void see(Object value) {
            if (value instanceof Boolean) {
                bool = true;
            } else if (value instanceof Long) {
                whole = true;
            } else if (value instanceof Double) {
                floating = true;
            } else if (value instanceof BigDecimal d) {
                decimal = true;
                scale = Math.max(scale, d.scale());
                integerDigits = Math.max(integerDigits, d.precision() - d.scale());
            } else if (value != null) {
                text = true;
            }
        }

        /** A decimal at the column's scale: only ever widened, so never rounded. */
        BigDecimal rescale(BigDecimal value) {
            return value.setScale(scale, RoundingMode.UNNECESSARY);
        }

        Schema schema() {
            List<Schema> branches = new ArrayList<>(6);
            branches.add(NULL);
            if (bool) {
                branches.add(Schema.create(Schema.Type.BOOLEAN));
            }
            if (whole) {
                branches.add(Schema.create(Schema.Type.LONG));
            }
            if (floating) {
                branches.add(Schema.create(Schema.Type.DOUBLE));
            }
            if (decimal) {
                branches.add(LogicalTypes.decimal(Math.max(1, integerDigits + scale), scale)
                        .addToSchema(Schema.create(Schema.Type.BYTES)));
            }
            if (text) {
                branches.add(Schema.create(Schema.Type.STRING));
            }
            return branches.size() == 1 ? NULL : Schema.createUnion(branches);
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
