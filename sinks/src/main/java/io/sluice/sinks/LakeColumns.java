package io.sluice.sinks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of one table-hour's tier-0 rows, numbered in the order first seen, each with a name
 * valid in Avro. Rows are then plain arrays indexed by these numbers: an hour holds millions of
 * rows and a few dozen columns, and a map per row would cost more memory than the values.
 */
final class LakeColumns {
    private final Map<String, Integer> byJsonName = new HashMap<>();
    private final Map<String, Integer> byAvroName = new HashMap<>();
    private final List<String> avroNames = new ArrayList<>();

    /** The number of a column by its name in tier-0 JSON, numbering it when new. */
    int number(String jsonName) {
        Integer known = byJsonName.get(jsonName);
        if (known != null) {
            return known;
        }
        // Two JSON names that differ only in characters Avro does not allow keep apart: the later one gets a suffix.
        String base = LakeSchema.avroName(jsonName);
        String name = base;
        for (int n = 2; byAvroName.containsKey(name); n++) {
            name = base + "_" + n;
        }
        int number = avroNames.size();
        avroNames.add(name);
        byJsonName.put(jsonName, number);
        byAvroName.put(name, number);
        return number;
    }

    /** The number of a column by its name in tier-0 JSON, or -1 when no row had it. */
    int find(String jsonName) {
        return byJsonName.getOrDefault(jsonName, -1);
    }

    /** The number of a column by its Avro name, or -1 when no row had it. */
    int numberOfAvroName(String avroName) {
        return byAvroName.getOrDefault(avroName, -1);
    }

    /**
     * The number of a column by its Avro name (a compacted file's column), numbering it when new:
     * a tier-0 column the pass has read already keeps its number.
     */
    int numberOfAvroNameOrNew(String avroName) {
        Integer known = byAvroName.get(avroName);
        return known != null ? known : number(avroName);
    }

    /** How many columns there are. */
    int size() {
        return avroNames.size();
    }

    /** The Avro name of a column. */
    String avroName(int number) {
        return avroNames.get(number);
    }

    /** The value of a column in a row, null when the row is older than the column. */
    static Object value(Object[] row, int number) {
        return number >= 0 && number < row.length ? row[number] : null;
    }
}
