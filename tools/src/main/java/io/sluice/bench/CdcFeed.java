package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A Debezium PostgreSQL table's change stream in the schemaless JSON converter form: snapshot
 * reads of the first keys, then inserts (15%), updates of random live rows (82%) and deletes (3%,
 * each followed by its tombstone), with LSNs growing with commit time and re-delivered copies:
 * a few changes per key.
 */
final class CdcFeed implements TopicFeed {
    static final int CHANGES_PER_KEY = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TYPICAL = List.of(
            "email",
            "full_name",
            "phone",
            "city",
            "tier",
            "status",
            "amount",
            "marketing_opt_in",
            "created_at",
            "updated_at");
    private static final int TYPICAL_WIDTH = 10;

    private final String topic;
    private final String table;
    private final List<String> keyColumns;
    private final List<String> columns;
    private final List<String> mutable;
    private final String stampField;
    private final FeedFaults faults;
    private final Random random;
    private final SyntheticValues values;
    private final Map<Long, ObjectNode> live = new HashMap<>();
    private final List<Long> liveKeys = new ArrayList<>();
    private long snapshotsLeft;
    private long nextKey = 1;
    private long lsn;
    private long txId = 1_000;
    private long lastArrivalMs;

    /**
     * @param configured  columns the configuration names for the table
     * @param keyColumns  the primary key columns
     * @param events      how many changes the feed will be asked for
     * @param stampField  a column to carry the latency stamp, or null
     * @param startMs     the first event time, which also seeds the LSNs so that later batches continue them
     */
    CdcFeed(
            String topic,
            Set<String> configured,
            List<String> keyColumns,
            long events,
            String stampField,
            FeedFaults faults,
            Random random,
            long startMs) {
        this.topic = topic;
        this.table = topic.substring(topic.lastIndexOf('.') + 1);
        this.keyColumns = List.copyOf(keyColumns);
        Set<String> all = new LinkedHashSet<>(keyColumns);
        all.addAll(configured);
        // Rows about as wide as real ones: typical columns fill up what the configuration does not name.
        for (String typical : TYPICAL) {
            if (all.size() < keyColumns.size() + TYPICAL_WIDTH || typical.endsWith("_at")) {
                all.add(typical);
            }
        }
        if (stampField != null) {
            all.add(stampField);
        }
        this.columns = List.copyOf(all);
        this.mutable = columns.stream()
                .filter(c -> !keyColumns.contains(c) && !c.equals("created_at") && !c.equals(stampField))
                .toList();
        this.stampField = stampField;
        this.faults = faults;
        this.random = random;
        this.values = new SyntheticValues(random);
        this.snapshotsLeft = Math.max(1, events / CHANGES_PER_KEY / 2);
        this.lsn = startMs * 1_000;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public List<Arrival> next(long eventTimeMs) {
        int dice = random.nextInt(100);
        if (snapshotsLeft > 0) {
            snapshotsLeft--;
            return emit("r", null, newRow(eventTimeMs), eventTimeMs);
        }
        if (liveKeys.size() < 2 || dice < 15) {
            return emit("c", null, newRow(eventTimeMs), eventTimeMs);
        }
        int index = random.nextInt(liveKeys.size());
        long key = liveKeys.get(index);
        ObjectNode before = live.get(key);
        if (dice >= 97) {
            liveKeys.set(index, liveKeys.get(liveKeys.size() - 1));
            liveKeys.remove(liveKeys.size() - 1);
            live.remove(key);
            return emit("d", before, null, eventTimeMs);
        }
        ObjectNode after = before.deepCopy();
        if (!mutable.isEmpty()) {
            values.put(after, mutable.get(random.nextInt(mutable.size())), key, eventTimeMs);
        }
        if (after.has("updated_at")) {
            after.put("updated_at", eventTimeMs * 1000);
        }
        stamp(after);
        live.put(key, after);
        return emit("u", before, after, eventTimeMs);
    }

    private ObjectNode newRow(long eventTimeMs) {
        long key = nextKey++;
        ObjectNode row = JSON.createObjectNode();
        for (String column : columns) {
            if (keyColumns.contains(column)) {
                putKey(row, column, key);
            } else {
                values.put(row, column, key, eventTimeMs);
            }
        }
        stamp(row);
        live.put(key, row);
        liveKeys.add(key);
        return row;
    }

    private void putKey(ObjectNode row, String column, long key) {
        if (column.toLowerCase(java.util.Locale.ROOT).endsWith("id")) {
            row.put(column, key);
        } else {
            row.put(column, "key-" + key);
        }
    }

    private void stamp(ObjectNode row) {
        if (stampField != null) {
            row.put(stampField, LatencyStamp.PLACEHOLDER);
        }
    }

    private List<Arrival> emit(String op, ObjectNode before, ObjectNode after, long commitMs) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.set("before", before);
        envelope.set("after", after);
        envelope.putObject("source")
                .put("version", "3.6.1.Final")
                .put("connector", "postgresql")
                .put("name", "bench")
                .put("ts_ms", commitMs)
                .put("snapshot", op.equals("r") ? "true" : "false")
                .put("db", "bench")
                .put("schema", "public")
                .put("table", table)
                .put("txId", txId++)
                .put("lsn", lsn += 64 + random.nextInt(512));
        envelope.put("op", op);
        envelope.put("ts_ms", commitMs + 150);
        envelope.putNull("transaction");
        ObjectNode row = after != null ? after : before;
        ObjectNode keyNode = JSON.createObjectNode();
        keyColumns.forEach(c -> keyNode.set(c, row.get(c)));
        byte[] key = keyNode.toString().getBytes(StandardCharsets.UTF_8);
        byte[] value = envelope.toString().getBytes(StandardCharsets.UTF_8);
        // A table's changes reach its topic in commit order: only re-delivered copies come out of order.
        long arrival = lastArrivalMs = Math.max(lastArrivalMs, commitMs + 500 + random.nextInt(2_000));
        List<Arrival> out = new ArrayList<>(3);
        out.add(new Arrival(topic, key, value, arrival));
        if (op.equals("d")) {
            out.add(new Arrival(topic, key, null, arrival + 1)); // the tombstone Debezium writes after a delete
        }
        if (faults.duplicate(random)) {
            out.add(new Arrival(
                    topic, key, value, arrival + FeedFaults.duplicateDelayMs(random))); // re-delivered after a restart
        }
        return out;
    }
}
