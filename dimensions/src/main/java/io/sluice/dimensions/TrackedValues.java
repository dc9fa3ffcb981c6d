package io.sluice.dimensions;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The values of a row's tracked columns, compared canonically: two rows with equal tracked values
 * belong to the same version. An absent column and a null value are the same, so that a column
 * added to the table (null in old rows) does not open a version by itself.
 */
final class TrackedValues {
    private final Map<String, Object> values;

    private TrackedValues(Map<String, Object> values) {
        this.values = values;
    }

    static TrackedValues of(DimensionSpec spec, Map<String, Object> row) {
        Map<String, Object> values = new TreeMap<>();
        if (!spec.track().isEmpty()) {
            for (String column : spec.track()) {
                put(values, column, row.get(column));
            }
        } else {
            // The natural key never changes within one key's history, so it is left out.
            Set<String> untracked = new HashSet<>(spec.trackExcept());
            untracked.addAll(spec.keyColumns());
            row.forEach((column, value) -> {
                if (!untracked.contains(column)) {
                    put(values, column, value);
                }
            });
        }
        return new TrackedValues(values);
    }

    private static void put(Map<String, Object> values, String column, Object value) {
        if (value != null) {
            values.put(column, CanonicalValue.of(value));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackedValues t && values.equals(t.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "TrackedValues" + values.keySet();
    }
}
