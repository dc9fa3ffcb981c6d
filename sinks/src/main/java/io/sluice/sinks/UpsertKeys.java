package io.sluice.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lake tables kept as upserts: one row per key, the last written, and none once a tombstone
 * removed it (the dimension history by {@code scd_id}). The lake sink declares them at
 * {@code <lake>/_tables/<table>.json} ({@code {"upsertKey": "scd_id"}}) before it writes any of
 * their rows, so the compactor, run by any process on the lake, knows them without a configuration.
 */
public final class UpsertKeys {
    static final String FOLDER = "_tables";
    /**
     * The tier-0 column that marks a row as a tombstone's (its key and event time, nothing else). It exists in tier 0
     * only: the compactor applies such a row and never writes it.
     */
    static final String RETRACTED = "__retracted";

    private UpsertKeys() {}

    /** The key column {@link #CURRENT_KEY} of a current-state table: the curated record's key (the masked primary key, as JSON). */
    public static final String CURRENT_KEY = "__key";

    /** Declares each table (by name) to be kept as upserts by its key column per hour; a declaration already there is kept. */
    public static void declare(LakeFileSystem lake, Map<String, String> keyColumnByTable) {
        declare(lake, keyColumnByTable, false);
    }

    /**
     * Declares each table to be kept as upserts by its key column over the whole table ({@code wholeTable}: a
     * current-state table, one row per key whatever its event time) or per hour (a history, whose versions' rows share
     * an hour).
     */
    public static void declare(LakeFileSystem lake, Map<String, String> keyColumnByTable, boolean wholeTable) {
        keyColumnByTable.forEach((table, column) -> {
            if (column.equals(keyOf(lake.fs(), lake.layout(), table))
                    && wholeTable == isWholeTable(lake.fs(), lake.layout(), table)) {
                return;
            }
            try {
                LakeMetadataFile.replace(
                        lake.fs(),
                        path(lake.layout(), table),
                        LakeJson.MAPPER.writeValueAsBytes(
                                wholeTable
                                        ? Map.of("upsertKey", column, "scope", "table")
                                        : Map.of("upsertKey", column)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot declare the upsert key of lake table " + table, e);
            }
        });
    }

    /** The key column of a table kept as upserts, or null for a table of appended rows. */
    static String keyOf(FileSystem fs, LakeLayout layout, String table) {
        try (InputStream in = fs.open(path(layout, table))) {
            JsonNode key = LakeJson.MAPPER.readTree(in).path("upsertKey");
            if (!key.isTextual() || key.asText().isEmpty()) {
                throw new IOException("no upsertKey");
            }
            return key.asText();
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            // unlike a type hint, this decides which rows survive: compacting without it would keep every version row
            throw new IllegalStateException(
                    "the upsert declaration of lake table " + table + " (" + path(layout, table)
                            + ") cannot be read; fix or remove it",
                    e);
        }
    }

    /** Whether a table is kept as upserts over the whole table (a current-state table) rather than per hour. */
    static boolean isWholeTable(FileSystem fs, LakeLayout layout, String table) {
        try (InputStream in = fs.open(path(layout, table))) {
            return "table".equals(LakeJson.MAPPER.readTree(in).path("scope").asText());
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the upsert declaration of lake table " + table + " (" + path(layout, table)
                            + ") cannot be read; fix or remove it",
                    e);
        }
    }

    /**
     * The tombstones applied to an hour of a table kept as upserts in a table format without a marker file of its own
     * (Iceberg): {@code <lake>/_tables/<table>.tombstones/<hour>.json}.
     */
    static Map<String, RowId> tombstones(FileSystem fs, LakeLayout layout, String table, EventHour hour)
            throws IOException {
        return HourMarker.tombstonesIn(fs, tombstonesPath(layout, table, hour));
    }

    /** Replaces the tombstones applied to an hour (see {@link #tombstones}); none removes the file. */
    static void writeTombstones(
            FileSystem fs, LakeLayout layout, String table, EventHour hour, Map<String, RowId> applied)
            throws IOException {
        Path file = tombstonesPath(layout, table, hour);
        if (applied.isEmpty()) {
            fs.delete(file, false);
            return;
        }
        LakeMetadataFile.replace(fs, file, LakeJson.MAPPER.writeValueAsBytes(HourMarker.tombstonesJson(applied)));
    }

    /** An hour's tombstones, or (for a null hour) a current-state table's, which span its hours. */
    private static Path tombstonesPath(LakeLayout layout, String table, EventHour hour) {
        return new Path(
                new Path(new Path(layout.root(), FOLDER), table + ".tombstones"),
                (hour == null ? "table" : hour.partitionPath().replace('/', '-')) + ".json");
    }

    private static Path path(LakeLayout layout, String table) {
        return new Path(new Path(layout.root(), FOLDER), table + ".json");
    }
}
