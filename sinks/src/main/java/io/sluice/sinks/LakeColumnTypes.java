package io.sluice.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The column types a table declares, kept at {@code <lake>/_schemas/<table>.json}: written by the
 * lake sink from the curated topic's registered Avro schema, read by the compactor. Tier 0 is JSON
 * and types by value, so without a declaration an hour where a number happened to be whole would
 * get {@code bigint} and another {@code double}, and a column null throughout an hour would become
 * text; with one, every hour of a table has the same types. Types: {@code boolean}, {@code long},
 * {@code double}, {@code string}.
 */
public final class LakeColumnTypes {
    static final String FOLDER = "_schemas";

    private LakeColumnTypes() {}

    /** Writes a table's declared types, replacing what was there (atomically: written beside, then renamed). */
    public static void write(LakeFileSystem lake, String table, Map<String, String> types) {
        ObjectNode columns = LakeJson.MAPPER.createObjectNode();
        types.forEach(columns::put);
        try {
            LakeMetadataFile.replace(lake.fs(), path(lake.layout(), table), LakeJson.MAPPER.writeValueAsBytes(columns));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the declared column types of " + table, e);
        }
    }

    /** A table's declared types by column; empty when it declares none. */
    static Map<String, LakeSchema.ColumnType> read(FileSystem fs, LakeLayout layout, String table) {
        Map<String, LakeSchema.ColumnType> types = new LinkedHashMap<>();
        try (InputStream in = fs.open(path(layout, table))) {
            JsonNode columns = LakeJson.MAPPER.readTree(in);
            columns.properties()
                    .forEach(c -> types.put(
                            c.getKey(),
                            LakeSchema.ColumnType.valueOf(c.getValue().asText().toUpperCase(Locale.ROOT))));
        } catch (FileNotFoundException e) {
            return types;
        } catch (IOException | IllegalArgumentException e) {
            // A declaration is a hint: without it the compactor types by value, as before.
            return Map.of();
        }
        return types;
    }

    private static Path path(LakeLayout layout, String table) {
        return new Path(new Path(layout.root(), FOLDER), table + ".json");
    }
}
