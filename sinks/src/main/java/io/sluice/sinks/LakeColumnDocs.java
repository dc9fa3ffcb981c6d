package io.sluice.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The documentation of a table's columns, kept at {@code <lake>/_schemas/<table>.docs.json}: written by the lake sink
 * from the curated topic's registered Avro schemas (field docs), read by the Iceberg compactor, which puts it on the
 * table's columns, where catalogs and engines show it.
 */
public final class LakeColumnDocs {
    private LakeColumnDocs() {}

    /** Writes a table's column docs, replacing what was there. */
    public static void write(LakeFileSystem lake, String table, Map<String, String> docs) {
        try {
            LakeMetadataFile.replace(lake.fs(), path(lake.layout(), table), LakeJson.MAPPER.writeValueAsBytes(docs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the column docs of " + table, e);
        }
    }

    /** A table's column docs by column; empty when none were written (a hint only: a table works without them). */
    static Map<String, String> read(FileSystem fs, LakeLayout layout, String table) {
        Map<String, String> docs = new LinkedHashMap<>();
        try (InputStream in = fs.open(path(layout, table))) {
            JsonNode columns = LakeJson.MAPPER.readTree(in);
            columns.properties().forEach(c -> docs.put(c.getKey(), c.getValue().asText()));
        } catch (FileNotFoundException e) {
            return docs;
        } catch (IOException e) {
            return Map.of();
        }
        return docs;
    }

    private static Path path(LakeLayout layout, String table) {
        return new Path(new Path(layout.root(), LakeColumnTypes.FOLDER), table + ".docs.json");
    }
}
