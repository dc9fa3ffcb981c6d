package io.sluice.serdes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sluice.schemas.ColumnValues;
import java.io.IOException;
import java.math.BigDecimal;

/** Parsing JSON payloads into column maps, with errors that never quote the payload. */
public final class JsonTree {
    /** Deepest nesting of arrays and objects a payload may have (Jackson's default). */
    public static final int MAX_NESTING_DEPTH = 1000;

    /**
     * The shared, configured mapper: thread-safe once configured. Numbers may be as long as the
     * longest a source database stores ({@link NumberBounds#MAX_TEXT_LENGTH}, which a Connect decimal
     * written as a JSON number reaches), nesting as deep as {@value #MAX_NESTING_DEPTH}.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(NumberBounds.MAX_TEXT_LENGTH)
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .build())
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 12.50 stays 12.50: scale carries meaning for money.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    // Built once: ObjectMapper.readTree resolves the JsonNode type on every call (1% of the gate in a profile).
    private static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);

    private JsonTree() {}

    /**
     * Parses a payload. Jackson's own messages quote the offending token, which may be PII, so
     * only the position is reported. Nesting deeper than {@value #MAX_NESTING_DEPTH} fails as
     * {@code nesting-too-deep}; a number longer than {@link NumberBounds#MAX_TEXT_LENGTH}, or with an
     * exponent beyond an int, as {@code number-out-of-range}.
     */
    public static JsonNode parse(byte[] bytes, String what) throws DecodeException {
        try {
            JsonNode node = TREE_READER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new DecodeException("malformed-json", what + " is empty");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw constraintViolated(e, what);
        } catch (NumberFormatException e) {
            // Jackson lets BigDecimal's own failure through (an exponent beyond int), message quoting the number.
            throw new DecodeException(
                    "number-out-of-range", what + " holds a number whose exponent is beyond any source database's");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new DecodeException("malformed-json", what + " is not valid JSON" + position);
        } catch (IOException e) {
            throw new DecodeException("malformed-json", what + " could not be read as JSON");
        }
    }

    private static DecodeException constraintViolated(StreamConstraintsException e, String what) {
        // Classified by Jackson's message, which is never passed on: it names limits, but keep it out all the same.
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Document nesting depth")) {
            return new DecodeException(
                    "nesting-too-deep",
                    what + " nests arrays and objects deeper than " + MAX_NESTING_DEPTH + " levels");
        }
        if (message.startsWith("Number value length")) {
            return new DecodeException(
                    "number-out-of-range",
                    what + " holds a number longer than " + NumberBounds.MAX_TEXT_LENGTH + " characters");
        }
        return new DecodeException(
                "too-large", what + " exceeds a parsing limit (length of a string, a name or the document)");
    }

    /**
     * A JSON value from a source as a column value ({@link ColumnValues#of}), its numbers within
     * {@link NumberBounds}.
     *
     * @param field names the field in the failure's message
     * @throws DecodeException {@code number-out-of-range}
     */
    static Object sourceValue(JsonNode node, String field) throws DecodeException {
        Object value = ColumnValues.of(node);
        if (value instanceof BigDecimal decimal) {
            NumberBounds.check(decimal, field);
        }
        return value;
    }
}
