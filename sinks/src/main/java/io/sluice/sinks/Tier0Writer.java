package io.sluice.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.CuratedFields;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes tier-0 objects: JSON Lines, one object per (table, topic, partition, event hour) of a
 * batch, named {@code <topic>+<partition>+<firstOffset>+<lastOffset>.jsonl}. The name is a pure
 * function of the records, so a batch retried after a crash rewrites the same object instead of
 * adding a second one; where a retry batches differently, the compactor drops the repeated rows
 * by their (partition, offset).
 */
public final class Tier0Writer {
    static final String EXTENSION = ".jsonl";
    static final String IN_PROGRESS_PREFIX = "_tmp.";

    private final FileSystem fs;
    private final LakeLayout layout;

    /** A writer into a lake. */
    public Tier0Writer(LakeFileSystem lake) {
        this.fs = lake.fs();
        this.layout = lake.layout();
    }

    /** Writes a batch and returns the objects, durable when this returns. */
    public List<Tier0Object> write(List<LakeRecord> batch) {
        Map<ObjectKey, List<ObjectNode>> groups = new LinkedHashMap<>();
        for (LakeRecord record : batch) {
            ObjectNode row = lakeRow(record);
            EventHour hour = EventHour.containing(row.get(CuratedFields.EVENT_TIME).longValue());
            groups.computeIfAbsent(new ObjectKey(record.table(), record.topic(), record.partition(), hour),
                    k -> new ArrayList<>()).add(row);
        }
        List<Tier0Object> written = new ArrayList<>(groups.size());
        for (Map.Entry<ObjectKey, List<ObjectNode>> group : groups.entrySet()) {
            written.add(writeObject(group.getKey(), group.getValue()));
        }
        return written;
    }

    private static ObjectNode lakeRow(LakeRecord record) {
        JsonNode parsed;
        try {
            parsed = LakeJson.MAPPER.readTree(record.value());
        } catch (IOException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalStateException("curated record " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " is not a JSON object; only Sluice should write curated topics");
        }
        ObjectNode row = (ObjectNode) parsed;
        if (!row.path(CuratedFields.EVENT_TIME).canConvertToLong()) {
            row.put(CuratedFields.EVENT_TIME, record.timestamp());
        }
        row.put(CuratedFields.KAFKA_PARTITION, record.partition());
        row.put(CuratedFields.KAFKA_OFFSET, record.offset());
        return row;
    }

    private Tier0Object writeObject(ObjectKey key, List<ObjectNode> rows) {
        long first = rows.get(0).get(CuratedFields.KAFKA_OFFSET).longValue();
        long last = rows.get(rows.size() - 1).get(CuratedFields.KAFKA_OFFSET).longValue();
        String name = key.topic() + "+" + key.partition() + "+" + first + "+" + last + EXTENSION;
        Path dir = layout.rawHour(key.table(), key.hour());
        Path target = new Path(dir, name);
        Path temp = new Path(dir, IN_PROGRESS_PREFIX + name);
        try {
            if (fs.exists(target)) {
                return new Tier0Object(key.table(), key.hour(), target, rows.size(), 0);
            }
            long bytes = 0;
            try (OutputStream out = fs.create(temp, true)) {
                for (ObjectNode row : rows) {
                    byte[] line = LakeJson.MAPPER.writeValueAsBytes(row);
                    out.write(line);
                    out.write('\n');
                    bytes += line.length + 1;
                }
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("rename to " + target + " failed");
            }
            return new Tier0Object(key.table(), key.hour(), target, rows.size(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tier-0 object " + target, e);
        }
    }

    private record ObjectKey(String table, String topic, int partition, EventHour hour) {
    }

    /**
     * A written tier-0 object.
     *
     * @param table the lake table
     * @param hour  the event hour
     * @param path  where it is
     * @param rows  how many rows it holds
     * @param bytes bytes written (0 when an identical retry found the object already there)
     */
    public record Tier0Object(String table, EventHour hour, Path path, int rows, long bytes) {
    }
}
