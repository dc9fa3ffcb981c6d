package io.sluice.pii;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Detectors over JSON that a rule kept — a JSON object or array as text, or as a decoded map or
 * list: every string, every whole number and every field name, at every level, written back in the
 * value's form. What is not changed is returned as the same object (for text, the same bytes).
 *
 * <p>A hit in a string is replaced as in free text. A whole number with a hit becomes the marker or
 * pseudonym text where the JSON is written as text anyway, and null in a decoded map (whose types a
 * schema may be derived from). A field name with a hit is replaced by its marker or pseudonym, or removed with
 * its value when the action is {@code redact} or {@code drop}, or when the new name is taken.
 * {@code redact} nulls a value, {@code drop} removes it with its name (or its place in an array).
 */
final class JsonScanner {
    /** Deepest nesting read; deeper text is scanned as plain text, a deeper decoded value fails. */
    static final int MAX_DEPTH = 256;
    /** Stands for a value that is removed from its object or array. */
    static final Object REMOVED = new Object();
    // Strict, so that what is scanned is all that is there: no second value after the first, no key twice
    // (the parser keeps only the last, and returning the unchanged text would pass the first one on unread).
    private static final ObjectMapper STRICT_JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final PiiScanner scanner;

    JsonScanner(PiiScanner scanner) {
        this.scanner = scanner;
    }

    /** Whether a text starts and ends like a JSON object or array, and so is worth parsing. */
    static boolean looksLikeJson(String text) {
        int first = 0;
        while (first < text.length() && Character.isWhitespace(text.charAt(first))) {
            first++;
        }
        int last = text.length() - 1;
        while (last > first && Character.isWhitespace(text.charAt(last))) {
            last--;
        }
        return last > first
                && ((text.charAt(first) == '{' && text.charAt(last) == '}')
                        || (text.charAt(first) == '[' && text.charAt(last) == ']'));
    }

    /**
     * Scans JSON text (an object or an array).
     *
     * @return the text itself when nothing was found, the rewritten text, or null when the text does
     *         not parse as JSON (then the caller scans it as plain text)
     */
    String scanText(String json, FieldName field, Findings findings) throws MaskingFailure {
        // No '@', too few digits and no backslash-u escape that could hide them: nothing can be found, so don't parse.
        if (!json.contains("\\u") && !scanner.mayFind(json)) {
            return json;
        }
        Object tree;
        try {
            tree = STRICT_JSON.readValue(json, Object.class);
        } catch (JsonProcessingException | RuntimeException e) {
            // Too deep, malformed, trailing text, a key twice, a number the parser refuses: hostile or
            // broken input is plain text, never an exception out of the masking step.
            return null;
        }
        Object masked = walk(tree, field, true, 0, findings);
        if (masked == tree) {
            return json;
        }
        try {
            return STRICT_JSON.writeValueAsString(masked);
        } catch (JsonProcessingException e) {
            throw new MaskingFailure("not-serialisable", "masked JSON could not be written");
        }
    }

    /**
     * Scans a decoded JSON value (a map or list, at any depth). The input is never modified.
     *
     * @param text whether the value will be written back as JSON text (a field of a JSON text column
     *             that rules descend into), where a number with a hit may become its marker
     * @return the value (unchanged), a masked copy, null, or {@link #REMOVED}
     * @throws MaskingFailure {@code json-too-deep} past {@link #MAX_DEPTH} levels
     */
    Object scanTree(Object value, FieldName field, boolean text, Findings findings) throws MaskingFailure {
        return walk(value, field, text, 0, findings);
    }

    private Object walk(Object node, FieldName field, boolean text, int depth, Findings findings)
            throws MaskingFailure {
        if (node instanceof String s) {
            return leaf(scanner.scan(s, field), s, findings);
        }
        if (node instanceof Number) {
            Object masked = leaf(scanner.scanNumber(node, field), node, findings);
            // Where the JSON is text, the marker is as good a value as any; a decoded map keeps its types.
            return masked instanceof String && !text ? null : masked;
        }
        if (node instanceof Map<?, ?> || node instanceof List<?>) {
            if (depth >= MAX_DEPTH) {
                throw new MaskingFailure("json-too-deep", "JSON nested deeper than " + MAX_DEPTH + " levels");
            }
            return node instanceof Map<?, ?> map
                    ? object(map, field, text, depth, findings)
                    : array((List<?>) node, field, text, depth, findings);
        }
        return node;
    }

    private static Object leaf(PiiScanner.Scan scan, Object value, Findings findings) {
        if (scan.outcome() == null) {
            return value;
        }
        findings.found.addAll(scan.found());
        return switch (scan.outcome()) {
            case DROP -> REMOVED;
            case REDACT -> null;
            default -> scan.text();
        };
    }

    private Object object(Map<?, ?> map, FieldName field, boolean text, int depth, Findings findings)
            throws MaskingFailure {
        Map<Object, Object> out = null; // copied on the first change only
        int index = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object key = entry.getKey();
            String name = String.valueOf(key);
            Object value = walk(entry.getValue(), field.child(name), text, depth + 1, findings);
            PiiScanner.Scan nameScan = scanner.scan(name);
            Object newKey = key;
            if (nameScan.outcome() != null) {
                findings.found.addAll(nameScan.found());
                newKey = nameScan.text(); // null for redact and drop: a name cannot be null, so the entry goes
                if (newKey != null && (map.containsKey(newKey) || (out != null && out.containsKey(newKey)))) {
                    findings.failures.add("field-name-collision");
                    newKey = null;
                }
            }
            if (out == null && (newKey != key || value != entry.getValue())) {
                out = copyFirst(map, index);
            }
            if (out != null && newKey != null && value != REMOVED) {
                out.put(newKey, value);
            }
            index++;
        }
        return out == null ? map : out;
    }

    private Object array(List<?> list, FieldName field, boolean text, int depth, Findings findings)
            throws MaskingFailure {
        List<Object> out = null;
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            Object value = walk(element, field, text, depth + 1, findings);
            if (out == null && value != element) {
                out = new ArrayList<>(list.subList(0, i));
            }
            if (out != null && value != REMOVED) {
                out.add(value);
            }
        }
        return out == null ? list : out;
    }

    private static Map<Object, Object> copyFirst(Map<?, ?> map, int count) {
        Map<Object, Object> copy = new LinkedHashMap<>(map.size() * 2);
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        for (int i = 0; i < count; i++) {
            Map.Entry<?, ?> entry = entries.next();
            copy.put(entry.getKey(), entry.getValue());
        }
        return copy;
    }

    /** What a scan found, for the caller to report: the detectors that fired, the reasons entries were lost. */
    static final class Findings {
        final Set<Detector> found = EnumSet.noneOf(Detector.class);
        final List<String> failures = new ArrayList<>(0);
    }
}
