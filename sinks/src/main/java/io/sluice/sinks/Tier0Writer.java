package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes tier-0 objects, one per (table, topic, partition, event hour) of a batch, named
 * {@code <topic>+<partition>+<firstOffset>+<lastOffset>.avro} (or {@code .jsonl}). The name is a
 * pure function of the records, so a batch retried after a crash rewrites the same object instead
 * of adding a second one; where a retry batches differently, the compactor drops the repeated rows
 * by their (partition, offset).
 */
public final class Tier0Writer {
    static final String IN_PROGRESS_PREFIX = "_tmp.";

    private final FileSystem fs;
    private final LakeLayout layout;
    private final Tier0Format format;

    /** A writer of Avro container objects into a lake. */
    public Tier0Writer(LakeFileSystem lake) {
        this(lake, Tier0Format.AVRO);
    }

    /** A writer of objects in {@code format} into a lake. */
    public Tier0Writer(LakeFileSystem lake, Tier0Format format) {
        this.fs = lake.fs();
        this.layout = lake.layout();
        this.format = format;
    }

    /** Writes a batch and returns the objects, durable when this returns. */
    public List<Tier0Object> write(List<LakeRecord> batch) {
        Map<ObjectKey, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (LakeRecord record : batch) {
            Map<String, Object> row = lakeRow(record);
            EventHour hour = EventHour.containing((Long) row.get(CuratedFields.EVENT_TIME));
            groups.computeIfAbsent(
                            new ObjectKey(record.table(), record.topic(), record.partition(), hour),
                            k -> new ArrayList<>())
                    .add(row);
        }
        List<Tier0Object> written = new ArrayList<>(groups.size());
        for (Map.Entry<ObjectKey, List<Map<String, Object>>> group : groups.entrySet()) {
            written.add(writeObject(group.getKey(), group.getValue()));
        }
        return written;
    }

    /**
     * The row as tier 0 holds it: values in the few kinds both formats carry (whole numbers as
     * longs, floating point as doubles, decimals exact, text), its event time (the Kafka timestamp
     * when the row has none) and its coordinates, which are its identity in the compactor.
     */
    private static Map<String, Object> lakeRow(LakeRecord record) {
        Map<String, Object> row = new LinkedHashMap<>(record.row().size() + 3);
        record.row().forEach((column, value) -> row.put(column, lakeValue(value)));
        if (!(row.get(CuratedFields.EVENT_TIME) instanceof Long)) {
            row.put(CuratedFields.EVENT_TIME, record.timestamp());
        }
        row.put(CuratedFields.KAFKA_PARTITION, (long) record.partition());
        row.put(CuratedFields.KAFKA_OFFSET, record.offset());
        return row;
    }

    private static Object lakeValue(Object value) {
        if (value == null
                || value instanceof Long
                || value instanceof Double
                || value instanceof BigDecimal
                || value instanceof Boolean
                || value instanceof String) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigInteger || value instanceof CharSequence) {
            return value.toString(); // BigInteger: past a long, as JSON Lines tier 0 has always typed it
        }
        if (value instanceof Map || value instanceof List) {
            try {
                return LakeJson.MAPPER.writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("a nested value cannot be written as JSON", e);
            }
        }
        throw new IllegalArgumentException(
                "a curated column holds a " + value.getClass().getSimpleName() + ", which tier 0 does not carry");
    }

    private Tier0Object writeObject(ObjectKey key, List<Map<String, Object>> rows) {
        long first = (Long) rows.get(0).get(CuratedFields.KAFKA_OFFSET);
        long last = (Long) rows.get(rows.size() - 1).get(CuratedFields.KAFKA_OFFSET);
        String name = key.topic() + "+" + key.partition() + "+" + first + "+" + last + format.extension();
        Path dir = layout.rawHour(key.table(), key.hour());
        Path target = new Path(dir, name);
        Path temp = new Path(dir, IN_PROGRESS_PREFIX + name);
        try {
            if (fs.exists(target)) {
                return new Tier0Object(key.table(), key.hour(), target, rows.size(), 0);
            }
            long bytes;
            try (OutputStream out = fs.create(temp, true)) {
                bytes = format == Tier0Format.AVRO
                        ? Tier0AvroFile.write(out, key.table(), rows)
                        : writeJsonLines(out, rows);
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("rename to " + target + " failed");
            }
            return new Tier0Object(key.table(), key.hour(), target, rows.size(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tier-0 object " + target, e);
        }
    }

    private static long writeJsonLines(OutputStream out, List<Map<String, Object>> rows) throws IOException {
        long bytes = 0;
        for (Map<String, Object> row : rows) {
            byte[] line = LakeJson.MAPPER.writeValueAsBytes(row);
            out.write(line);
            out.write('\n');
            bytes += line.length + 1;
        }
        return bytes;
    }

    private record ObjectKey(String table, String topic, int partition, EventHour hour) {}

    /**
     * A written tier-0 object.
     *
     * @param table the lake table
     * @param hour  the event hour
     * @param path  where it is
     * @param rows  how many rows it holds
     * @param bytes bytes written (0 when an identical retry found the object already there)
     */
    public record Tier0Object(String table, EventHour hour, Path path, int rows, long bytes) {}
}
