package io.sluice.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML mapping being read into typed configuration. Every key a reader asks about, present or
 * not, is remembered, so that {@link #finish()} can reject whatever nobody asked about: a typo is an
 * error naming the key, never a silent default.
 */
final class ConfigNode {
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> asked = new LinkedHashSet<>();

    private ConfigNode(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values;
    }

    static ConfigNode root(Object document) {
        if (document == null) {
            return new ConfigNode("", Map.of());
        }
        if (!(document instanceof Map<?, ?>)) {
            throw new ConfigException("", "the configuration file must be a YAML mapping of keys to values");
        }
        return new ConfigNode("", stringKeys("", (Map<?, ?>) document));
    }

    String path(String key) {
        if (key.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        asked.add(key);
        return values.get(key) != null;
    }

    String string(String key) {
        return optionalString(key).orElseThrow(() -> new ConfigException(path(key), "is required"));
    }

    Optional<String> optionalString(String key) {
        asked.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof List) {
            throw new ConfigException(
                    path(key), "must be a single value, not a " + (value instanceof Map ? "mapping" : "list"));
        }
        String text = String.valueOf(value).strip();
        if (text.isEmpty()) {
            throw new ConfigException(path(key), "must not be empty");
        }
        return Optional.of(text);
    }

    String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    boolean bool(String key, boolean defaultValue) {
        String text = string(key, String.valueOf(defaultValue));
        if (!text.equals("true") && !text.equals("false")) {
            throw error(key, "must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    int positiveInt(String key, int defaultValue) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(path(key), "must be a positive whole number");
        }
    }

    int nonNegativeInt(String key, int defaultValue) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(path(key), "must be a whole number, 0 or more");
        }
    }

    java.time.Duration duration(String key, java.time.Duration defaultValue) {
        return optionalString(key).map(text -> Durations.parse(path(key), text)).orElse(defaultValue);
    }

    long bytes(String key, long defaultValue) {
        return optionalString(key).map(text -> ByteSizes.parse(path(key), text)).orElse(defaultValue);
    }

    List<String> strings(String key) {
        asked.add(key);
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ConfigException(path(key), "must be a list, e.g. [a, b]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item == null
                    || item instanceof Map
                    || item instanceof List
                    || String.valueOf(item).isBlank()) {
                throw new ConfigException(path(key) + "[" + i + "]", "must be a non-empty single value");
            }
            out.add(String.valueOf(item).strip());
        }
        return out;
    }

    /** A list of plain values or mappings, as parsed. */
    List<Object> list(String key) {
        asked.add(key);
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ConfigException(path(key), "must be a list");
        }
        return new ArrayList<>(list);
    }

    ConfigNode section(String key) {
        return optionalSection(key).orElseGet(() -> new ConfigNode(path(key), Map.of()));
    }

    Optional<ConfigNode> optionalSection(String key) {
        asked.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException(path(key), "must be a mapping of keys to values");
        }
        return Optional.of(new ConfigNode(path(key), stringKeys(path(key), map)));
    }

    List<ConfigNode> sections(String key) {
        asked.add(key);
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ConfigException(path(key), "must be a list of mappings");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String itemPath = path(key) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw new ConfigException(itemPath, "must be a mapping of keys to values");
            }
            out.add(new ConfigNode(itemPath, stringKeys(itemPath, map)));
        }
        return out;
    }

    /**
     * A pass-through value ({@code kafka:}, {@code lake.hadoop:}) as written: empty text is kept, since client
     * settings use it (ssl.endpoint.identification.algorithm: ""); empty when absent.
     */
    Optional<String> rawText(String key) {
        asked.add(key);
        Object value = values.get(key);
        if (value instanceof Map || value instanceof List) {
            throw new ConfigException(
                    path(key),
                    "must be a single value, or {env: VARIABLE} / {file: PATH} "
                            + "(write dotted property names in full)");
        }
        return Optional.ofNullable(value).map(String::valueOf);
    }

    /** Whether a key's value is a reference, {@code {env: VARIABLE}} or {@code {file: PATH}}, rather than a value. */
    boolean isReference(String key) {
        return values.get(key) instanceof Map<?, ?> map
                && !map.isEmpty()
                && map.keySet().stream().allMatch(k -> "env".equals(k) || "file".equals(k));
    }

    /** The keys of this mapping, in the order written. */
    java.util.Set<String> keys() {
        return values.keySet();
    }

    /** Whether a key's value is a mapping. */
    boolean isSection(String key) {
        return values.get(key) instanceof Map<?, ?>;
    }

    ConfigException error(String key, String problem) {
        return new ConfigException(path(key), problem);
    }

    /** Rejects keys nobody asked about. */
    void finish() {
        for (String key : values.keySet()) {
            if (!asked.contains(key)) {
                throw new ConfigException(
                        path(key), "unknown key; known keys here: " + String.join(", ", new TreeSet<>(asked)));
            }
        }
    }

    private static Map<String, Object> stringKeys(String path, Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null) {
                throw new ConfigException(path, "has an empty key");
            }
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }
}
