package io.sluice.schemas;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** The Avro types a curated column's values can take: one branch of the column's nullable union each. */
enum ColumnKind {
    BOOLEAN,
    LONG,
    DOUBLE,
    DECIMAL,
    STRING;

    /** Largest precision of an Avro/Parquet decimal that query engines (Athena, Trino, Spark) all read. */
    static final int DECIMAL_PRECISION = 38;
    /**
     * Fewest decimal places a decimal column gets. A column's scale is fixed when it first appears, and
     * the first value's own scale is often an accident (JSON {@code 2.0}, a sum that happened to be whole):
     * six places hold money and rates exactly, so later values rarely need the exact-text fallback.
     */
    static final int MIN_DECIMAL_SCALE = 6;

    /** The kind a Java value naturally has; null for null. */
    static ColumnKind of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean) {
            return BOOLEAN;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return LONG;
        }
        if (value instanceof Double || value instanceof Float) {
            return DOUBLE;
        }
        if (value instanceof BigDecimal || value instanceof BigInteger) {
            return DECIMAL;
        }
        return STRING;
    }

    /** The branch schema of this kind; {@code scale} only matters for decimals. */
    Schema schema(int scale) {
        return switch (this) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case LONG -> Schema.create(Schema.Type.LONG);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case STRING -> Schema.create(Schema.Type.STRING);
            case DECIMAL ->
                LogicalTypes.decimal(DECIMAL_PRECISION, scale).addToSchema(Schema.create(Schema.Type.BYTES));
        };
    }

    /** The kind of a branch schema, or null when the branch is not one Sluice writes. */
    static ColumnKind ofBranch(Schema branch) {
        if (branch.getLogicalType() instanceof LogicalTypes.Decimal) {
            return DECIMAL;
        }
        return switch (branch.getType()) {
            case BOOLEAN -> BOOLEAN;
            case LONG, INT -> LONG;
            case DOUBLE, FLOAT -> DOUBLE;
            case STRING -> STRING;
            default -> null;
        };
    }
}
