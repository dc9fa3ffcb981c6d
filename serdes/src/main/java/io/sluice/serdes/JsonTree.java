package io.sluice.serdes;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsing JSON payloads into column maps, with errors that never quote the payload. */
public final class JsonTree {
    /** The shared, configured mapper: thread-safe once configured. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 12.50 stays 12.50: scale carries meaning for money.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private JsonTree() {
    }

    /**
     * Parses a payload. Jackson's own messages quote the offending token, which may be PII, so
     * only the position is reported.
     */
    public static JsonNode parse(byte[] bytes, String what) throws DecodeException {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new DecodeException("malformed-json", what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new DecodeException("malformed-json", what + " is not valid JSON" + position);
        } catch (IOException e) {
            throw new DecodeException("malformed-json", what + " could not be read as JSON");
        }
    }

    /** The object's fields as columns, in their order. */
    public static Map<String, Object> columns(ObjectNode object) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            row.put(field.getKey(), columnValue(field.getValue()));
        }
        return row;
    }

    /**
     * A JSON value as a column value: text, whole numbers as Long (BigDecimal beyond long),
     * other numbers as BigDecimal, booleans, null; nested objects and arrays stay JSON text.
     */
    public static Object columnValue(JsonNode node) {
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
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node.toString();
    }
}
