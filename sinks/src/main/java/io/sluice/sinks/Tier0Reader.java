package io.sluice.sinks;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads tier-0 JSON Lines objects back into rows whose column names are valid in Avro. */
final class Tier0Reader {
    private static final TypeReference<LinkedHashMap<String, Object>> ROW = new TypeReference<>() { };

    private final FileSystem fs;

    Tier0Reader(FileSystem fs) {
        this.fs = fs;
    }

    /** Hands each row of the object to {@code rows}; an unparseable line fails the object (without quoting it). */
    void read(Path object, Consumer<Map<String, Object>> rows) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(object), StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> parsed;
                try {
                    parsed = LakeJson.MAPPER.readValue(line, ROW);
                } catch (IOException e) {
                    throw new IOException("line " + lineNo + " of " + object + " is not a JSON object");
                }
                rows.accept(withAvroNames(parsed));
            }
        }
    }

    private static Map<String, Object> withAvroNames(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>(row.size() * 2);
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, Object> column : row.entrySet()) {
            String name = LakeSchema.avroName(column.getKey());
            for (int n = 2; !used.add(name); n++) {
                name = LakeSchema.avroName(column.getKey()) + "_" + n;
            }
            out.put(name, column.getValue());
        }
        return out;
    }
}
