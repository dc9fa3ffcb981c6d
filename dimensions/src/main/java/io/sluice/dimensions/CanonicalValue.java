package io.sluice.dimensions;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A column value in the form used to compare and hash it. The same value reaches the history as
 * different Java types — a decoder's Long comes back from the state store's JSON as Long or
 * BigDecimal, a masking step may produce an Integer — and none of that may count as a change or
 * alter an {@code scd_id}. Numbers become stripped BigDecimals, bytes Base64 text, nested
 * maps/lists are canonicalised element-wise; text, booleans and null are kept.
 */
final class CanonicalValue {
    private CanonicalValue() {}

    static Object of(Object value) {
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros();
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // JSON writes NaN and infinities as text, so text is what they compare equal to.
            return Double.isFinite(d) ? new BigDecimal(value.toString()).stripTrailingZeros() : value.toString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> canonical = new TreeMap<>();
            map.forEach((k, v) -> canonical.put(String.valueOf(k), of(v)));
            return canonical;
        }
        if (value instanceof List<?> list) {
            List<Object> canonical = new ArrayList<>(list.size());
            list.forEach(v -> canonical.add(of(v)));
            return canonical;
        }
        return value;
    }

    /**
     * An unambiguous text of the value for hashing: a type tag, then the canonical text, so that
     * the number 1 and the string "1" never hash alike.
     */
    static String tagged(Object value) {
        Object canonical = of(value);
        if (canonical == null) {
            return "z";
        }
        if (canonical instanceof BigDecimal d) {
            return "n:" + d.toPlainString();
        }
        if (canonical instanceof String s) {
            return "s:" + s;
        }
        if (canonical instanceof Boolean b) {
            return "b:" + b;
        }
        return "o:" + canonical;
    }
}
