package io.sluice.sinks;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An hour's {@code _SUCCESS} marker, committed with the hour: tools that wait for a completeness
 * marker find it, and what it lists (rows, files; for a table kept as upserts, the tombstones
 * applied, which later passes need once their tier-0 objects are gone) is a pure function of the
 * rows, so a re-run writes the same marker. Hidden from engines by its leading underscore and
 * missing suffix.
 */
final class HourMarker {
    static final String NAME = "_SUCCESS";

    private HourMarker() {}

    /** Writes the marker into {@code dir}. */
    static void write(
            FileSystem fs,
            Path dir,
            String table,
            EventHour hour,
            long rows,
            List<String> files,
            Map<String, RowId> tombstones)
            throws IOException {
        ObjectNode marker = LakeJson.MAPPER.createObjectNode();
        marker.put("table", table);
        marker.put("hour", hour.partitionPath());
        marker.put("rows", rows);
        ArrayNode names = marker.putArray("files");
        files.forEach(names::add);
        if (!tombstones.isEmpty()) {
            addTombstones(marker, tombstones);
        }
        try (OutputStream out = fs.create(new Path(dir, NAME), true)) {
            out.write(LakeJson.MAPPER.writeValueAsBytes(marker));
            out.write('\n');
        }
    }

    /** The tombstones the committed hour {@code live} lists; none when it has no marker (being published) or lists none. */
    static Map<String, RowId> tombstones(FileSystem fs, Path live) throws IOException {
        // no marker: between a publish's first and last step, and that pass's tier-0 objects, all still there, bring
        // its tombstones again
        return tombstonesIn(fs, new Path(live, NAME));
    }

    /** The tombstones a JSON file lists under {@code "tombstones"}; none when it does not exist. */
    static Map<String, RowId> tombstonesIn(FileSystem fs, Path file) throws IOException {
        Map<String, RowId> tombstones = new TreeMap<>();
        try (InputStream in = fs.open(file)) {
            JsonNode applied = LakeJson.MAPPER.readTree(in).path("tombstones");
            applied.properties().forEach(entry -> {
                JsonNode id = entry.getValue();
                if (id.isArray()
                        && id.size() == 2
                        && id.get(0).canConvertToLong()
                        && id.get(1).canConvertToLong()) {
                    tombstones.put(
                            entry.getKey(),
                            new RowId(id.get(0).asLong(), id.get(1).asLong()));
                }
            });
        } catch (FileNotFoundException e) {
            return tombstones;
        } catch (JacksonException e) {
            throw new IOException(file + " is not JSON", e);
        }
        return tombstones;
    }

    /** {@code {"tombstones": {key: [partition, offset]}}}, keys in order. */
    static ObjectNode tombstonesJson(Map<String, RowId> tombstones) {
        ObjectNode json = LakeJson.MAPPER.createObjectNode();
        addTombstones(json, tombstones);
        return json;
    }

    private static void addTombstones(ObjectNode json, Map<String, RowId> tombstones) {
        ObjectNode applied = json.putObject("tombstones");
        new TreeMap<>(tombstones)
                .forEach((key, id) -> applied.putArray(key).add(id.partition()).add(id.offset()));
    }
}
