package io.sluice.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON values as the column values of Sluice's rows: the one mapping decoders, stores and codecs share. */
public final class ColumnValues {

    private ColumnValues() {}

    /** The object's fields as columns, in their order. */
    public static Map<String, Object> of(ObjectNode object) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            row.put(field.getKey(), of(field.getValue()));
        }
        return row;
    }

    /**
     * A JSON value as a column value: text, whole numbers as Long (BigDecimal beyond long),
     * other numbers as BigDecimal (a binary NaN or infinity, which only trees built in memory hold,
     * as Double), booleans, null; nested objects and arrays stay JSON text.
     */
    public static Object of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.decimalValue();
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return node.doubleValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node.toString();
    }
}
