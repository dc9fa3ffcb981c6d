package io.sluice.schemas;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The Avro schema of one curated topic's rows, derived from the rows themselves (after masking) and
 * grown only in BACKWARD-compatible steps, so every version a topic registers can read the data
 * of every earlier one:
 * <ul>
 *   <li>every column is a union with {@code null} first and default null, so a new column, or a
 *   column a row lacks, is always allowed;</li>
 *   <li>a column whose values change type gains a branch (a long column that sees a string becomes
 *   {@code ["null","long","string"]}); a long column that sees a fractional number is widened to
 *   double, which Avro promotes long to;</li>
 *   <li>decimals are {@code bytes} with logical type decimal(38, s), s fixed when the column first
 *   appears: the first value's scale, and at least {@value ColumnKind#MIN_DECIMAL_SCALE};
 *   a later value needing more decimal places (or more than 38 digits) is never rounded: the column
 *   gains a {@code string} branch and the value is written as its exact decimal text.</li>
 * </ul>
 * A decimal beyond {@link NumberLimits} (which decoding already refuses) is never rescaled or formatted:
 * it fails as {@code number-out-of-range}.
 * Source column names that are not valid Avro names are written with invalid characters replaced
 * by {@code _}; the original name is kept in the field's {@code sluice.column} property. Immutable.
 */
public final class RowSchema {
    /** Field property holding the source column name when the Avro field name had to differ. */
    public static final String COLUMN_PROPERTY = "sluice.column";

    private final String fullName;
    private final String doc;
    private final Map<String, Column> columns;
    private final Schema schema;

    private RowSchema(String fullName, String doc, Map<String, Column> columns) {
        this.fullName = fullName;
        this.doc = doc;
        this.columns = columns;
        this.schema = build();
    }

    /** A schema with no columns yet. */
    public static RowSchema empty(String fullName, String doc) {
        return new RowSchema(fullName, doc, new LinkedHashMap<>());
    }

    /** The schema a registered version describes, to grow from; fails on a type Sluice does not write. */
    public static RowSchema of(Schema registered) {
        if (registered.getType() != Schema.Type.RECORD) {
            throw new CuratedEncodingException(
                    "schema-mismatch", "the registered schema " + registered.getFullName() + " is not a record");
        }
        Map<String, Column> columns = new LinkedHashMap<>();
        for (Schema.Field field : registered.getFields()) {
            String column = field.getProp(COLUMN_PROPERTY) != null ? field.getProp(COLUMN_PROPERTY) : field.name();
            List<ColumnKind> kinds = new ArrayList<>();
            int scale = 0;
            boolean nullable = false;
            for (Schema branch : field.schema().getType() == Schema.Type.UNION
                    ? field.schema().getTypes()
                    : List.of(field.schema())) {
                if (branch.getType() == Schema.Type.NULL) {
                    nullable = true;
                    continue;
                }
                ColumnKind kind = ColumnKind.ofBranch(branch);
                if (kind == null) {
                    throw new CuratedEncodingException(
                            "schema-mismatch",
                            "column " + field.name() + " of the registered schema " + registered.getFullName()
                                    + " has type " + branch.getType() + ", which Sluice does not write");
                }
                if (kind == ColumnKind.DECIMAL) {
                    scale = ((LogicalTypes.Decimal) branch.getLogicalType()).getScale();
                }
                kinds.add(kind);
            }
            if (!nullable) {
                throw new CuratedEncodingException(
                        "schema-mismatch",
                        "column " + field.name() + " of the registered schema " + registered.getFullName()
                                + " is not nullable; Sluice's columns always are");
            }
            columns.put(column, new Column(field.name(), field.doc(), List.copyOf(kinds), scale));
        }
        return new RowSchema(registered.getFullName(), registered.getDoc(), columns);
    }

    /** The Avro schema. */
    public Schema schema() {
        return schema;
    }

    /**
     * This schema, or a grown one that can hold the row.
     *
     * @param columnDocs documentation for columns that are new, by column name (missing ones get a generic doc)
     */
    public RowSchema grownBy(Map<String, Object> row, Map<String, String> columnDocs) {
        Map<String, Column> grown = null;
        for (Map.Entry<String, Object> cell : row.entrySet()) {
            Column current = (grown != null ? grown : columns).get(cell.getKey());
            Column next = current == null
                    ? newColumn(cell.getKey(), cell.getValue(), grown != null ? grown : columns, columnDocs)
                    : current.accepting(cell.getKey(), cell.getValue());
            if (next != current) {
                if (grown == null) {
                    grown = new LinkedHashMap<>(columns);
                }
                grown.put(cell.getKey(), next);
            }
        }
        return grown == null ? this : new RowSchema(fullName, doc, grown);
    }

    /** The row as a record of this schema; the row must fit ({@link #grownBy} returned this). */
    public GenericRecord record(Map<String, Object> row) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Map.Entry<String, Object> cell : row.entrySet()) {
            Column column = columns.get(cell.getKey());
            record.put(column.field(), column.datum(cell.getKey(), cell.getValue()));
        }
        return record;
    }

    private static Column newColumn(
            String name, Object value, Map<String, Column> existing, Map<String, String> columnDocs) {
        Set<String> taken = new HashSet<>();
        existing.values().forEach(c -> taken.add(c.field()));
        String field = fieldName(name, taken);
        String doc = columnDocs.getOrDefault(name, "Source column " + name + ", after masking.");
        return new Column(field, doc, List.of(), 0).accepting(name, value);
    }

    private static String fieldName(String column, Set<String> taken) {
        StringBuilder name = new StringBuilder(column.length());
        for (int i = 0; i < column.length(); i++) {
            char c = column.charAt(i);
            boolean valid =
                    c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            name.append(valid ? c : (i == 0 && c >= '0' && c <= '9') ? "_" + c : "_");
        }
        if (name.isEmpty()) {
            name.append('_');
        }
        String candidate = name.toString();
        for (int n = 2; taken.contains(candidate); n++) {
            candidate = name + "_" + n;
        }
        return candidate;
    }

    private Schema build() {
        List<Schema.Field> fields = new ArrayList<>(columns.size());
        for (Map.Entry<String, Column> entry : columns.entrySet()) {
            Column column = entry.getValue();
            List<Schema> branches = new ArrayList<>();
            branches.add(Schema.create(Schema.Type.NULL));
            column.kinds().forEach(k -> branches.add(k.schema(column.scale())));
            Schema.Field field = new Schema.Field(
                    column.field(), Schema.createUnion(branches), column.doc(), JsonProperties.NULL_VALUE);
            if (!column.field().equals(entry.getKey())) {
                field.addProp(COLUMN_PROPERTY, entry.getKey());
            }
            fields.add(field);
        }
        int dot = fullName.lastIndexOf('.');
        return Schema.createRecord(
                fullName.substring(dot + 1), doc, dot < 0 ? null : fullName.substring(0, dot), false, fields);
    }

    /** One column: its Avro field name, doc, the kinds of value it holds (besides null) and its decimal scale. */
    private record Column(String field, String doc, List<ColumnKind> kinds, int scale) {

        /** This column, or a widened one that can hold the value. */
        Column accepting(String name, Object value) {
            ColumnKind kind = ColumnKind.of(value);
            if (kind == null || kinds.contains(kind) && kind != ColumnKind.DECIMAL) {
                return this;
            }
            switch (kind) {
                case LONG -> {
                    if (kinds.contains(ColumnKind.DOUBLE)
                            || kinds.contains(ColumnKind.DECIMAL)
                                    && fits(BigDecimal.valueOf(((Number) value).longValue()), scale)) {
                        return this;
                    }
                }
                case DOUBLE -> {
                    if (kinds.contains(ColumnKind.LONG)) {
                        List<ColumnKind> widened = new ArrayList<>(kinds);
                        widened.set(widened.indexOf(ColumnKind.LONG), ColumnKind.DOUBLE);
                        return new Column(field, doc, widened, scale);
                    }
                }
                case DECIMAL -> {
                    BigDecimal decimal = decimal(value);
                    if (!NumberLimits.within(decimal)) {
                        throw new CuratedEncodingException(
                                "number-out-of-range",
                                "column " + name + " holds a number beyond " + NumberLimits.MAX_INTEGER_DIGITS
                                        + " digits before the point or " + NumberLimits.MAX_FRACTION_DIGITS
                                        + " after it");
                    }
                    if (kinds.contains(ColumnKind.DECIMAL)) {
                        return fits(decimal, scale) || kinds.contains(ColumnKind.STRING)
                                ? this
                                : with(ColumnKind.STRING);
                    }
                    int firstScale = Math.max(decimal.scale(), ColumnKind.MIN_DECIMAL_SCALE);
                    if (!fits(decimal, firstScale)) {
                        return kinds.contains(ColumnKind.STRING) ? this : with(ColumnKind.STRING);
                    }
                    List<ColumnKind> more = new ArrayList<>(kinds);
                    more.add(ColumnKind.DECIMAL);
                    return new Column(field, doc, more, firstScale);
                }
                default -> {}
            }
            return with(kind);
        }

        private Column with(ColumnKind kind) {
            List<ColumnKind> more = new ArrayList<>(kinds);
            more.add(kind);
            return new Column(field, doc, more, scale);
        }

        /** The value as the datum of the branch it is written with. */
        Object datum(String name, Object value) {
            ColumnKind kind = ColumnKind.of(value);
            if (kind == null) {
                return null;
            }
            return switch (kind) {
                case LONG ->
                    kinds.contains(ColumnKind.LONG)
                            ? (Object) ((Number) value).longValue()
                            : kinds.contains(ColumnKind.DOUBLE)
                                    ? (Object) ((Number) value).doubleValue()
                                    : decimalDatum(BigDecimal.valueOf(((Number) value).longValue()));
                case DOUBLE -> ((Number) value).doubleValue();
                case DECIMAL -> decimalDatum(decimal(value));
                case BOOLEAN -> value;
                case STRING -> value.toString();
            };
        }

        private static BigDecimal decimal(Object value) {
            return value instanceof BigInteger big ? new BigDecimal(big) : (BigDecimal) value;
        }

        /** The decimal at the column's scale, or its exact text when the column's scale cannot hold it. */
        private Object decimalDatum(BigDecimal value) {
            return kinds.contains(ColumnKind.DECIMAL) && fits(value, scale)
                    ? value.setScale(scale, RoundingMode.UNNECESSARY)
                    : value.toPlainString();
        }

        private static boolean fits(BigDecimal value, int scale) {
            if (value.stripTrailingZeros().scale() > scale) {
                return false;
            }
            return value.setScale(scale, RoundingMode.UNNECESSARY).precision() <= ColumnKind.DECIMAL_PRECISION;
        }
    }
}
