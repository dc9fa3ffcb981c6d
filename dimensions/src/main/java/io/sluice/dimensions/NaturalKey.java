package io.sluice.dimensions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * The text a dimension's state is stored and partitioned under: the natural key values' texts, in
 * key-column order, as a JSON array ({@code ["42"]}). Text, not typed values, so that an HTTP path
 * segment names the same key as the row it came from.
 */
public final class NaturalKey {

    private NaturalKey() {}

    /** The store key of natural key values. */
    public static String storeKey(List<?> values) {
        ArrayNode key = JsonNodeFactory.instance.arrayNode();
        values.forEach(v -> key.add(v == null ? null : String.valueOf(v)));
        return key.toString();
    }
}
