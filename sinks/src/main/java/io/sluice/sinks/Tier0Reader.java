package io.sluice.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads tier-0 JSON Lines objects back into rows whose column names are valid in Avro. */
final class Tier0Reader {
    private static final ObjectReader ROWS = LakeJson.MAPPER.readerFor(LinkedHashMap.class);

    private final FileSystem fs;
    /** Column name to its Avro-safe form: a table has few distinct columns and millions of rows. */
    private final Map<String, String> avroNames = new HashMap<>();

    Tier0Reader(FileSystem fs) {
        this.fs = fs;
    }

    /** Hands each row of the object to {@code rows}; an unparseable line fails the object (without quoting it). */
    void read(Path object, Consumer<Map<String, Object>> rows) throws IOException {
        // One parser over the object's bytes: JSON Lines are a sequence of root-level values, and
        // parsing UTF-8 bytes directly costs less than splitting lines into strings first.
        try (InputStream in = fs.open(object); MappingIterator<Map<String, Object>> values = ROWS.readValues(in)) {
            while (true) {
                Map<String, Object> row;
                try {
                    if (!values.hasNextValue()) {
                        return;
                    }
                    row = values.nextValue();
                } catch (JsonProcessingException e) {
                    throw notAnObject(object, e.getLocation() == null ? -1 : e.getLocation().getLineNr());
                }
                if (row == null) {
                    throw notAnObject(object, values.getCurrentLocation().getLineNr());
                }
                rows.accept(withAvroNames(row));
            }
        }
    }

    private static IOException notAnObject(Path object, int line) {
        return new IOException("line " + line + " of " + object + " is not a JSON object");
    }

    /** The row itself when every name is already valid (the usual case); otherwise a renamed copy. */
    private Map<String, Object> withAvroNames(Map<String, Object> row) {
        boolean valid = true;
        for (String name : row.keySet()) {
            if (!avroName(name).equals(name)) {
                valid = false;
                break;
            }
        }
        if (valid) {
            return row;
        }
        Map<String, Object> out = new LinkedHashMap<>(row.size() * 2);
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, Object> column : row.entrySet()) {
            String name = avroName(column.getKey());
            for (int n = 2; !used.add(name); n++) {
                name = avroName(column.getKey()) + "_" + n;
            }
            out.put(name, column.getValue());
        }
        return out;
    }

    private String avroName(String name) {
        return avroNames.computeIfAbsent(name, LakeSchema::avroName);
    }
}
