package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the curated topics and writes tier-0 lake objects. Offsets are committed only after the
 * objects holding every record up to them are durable, so a crash re-reads rather than loses; the
 * deterministic object names and the compactor's (partition, offset) identity make the re-read
 * harmless. A dependency that is down never stops the sink: a record whose schema the registry cannot
 * give right now (after the registry's own retries) is read again after a wait, and so is every
 * record after it, and a commit the cluster cannot take now is made again later; the waits double
 * from 1 s to 30 s, and readiness reports the dependency meanwhile. Runs on its own thread.
 */
public final class LakeSink implements Runnable, AutoCloseable {
    /** Told when the cluster stopped taking the sink's offset commits, and when it took one again (readiness listens). */
    public interface ClusterStatus {
        /** Reports nothing. */
        ClusterStatus IGNORED = new ClusterStatus() {
            @Override
            public void failing() {}

            @Override
            public void recovered() {}
        };

        /** A commit failed for a retriable reason; the sink waits and commits again later. */
        void failing();

        /** A commit was taken. */
        void recovered();
    }

    private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long FIRST_WAIT_MS = 1_000;
    private static final long MAX_WAIT_MS = 30_000;

    private final Consumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final Map<String, String> tableByTopic;
    private final Map<String, String> upsertKeyByTable;
    private final Map<String, String> currentTableByTopic;
    private final Tier0Buffer buffer;
    private final LakeMetrics metrics;
    private final CuratedAvroReader avro;
    private final LakeFileSystem lake;
    private final Map<String, Map<String, String>> declaredTypes = new HashMap<>();
    private final Map<String, Map<String, String>> declaredDocs = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Thread thread;
    private final ClusterStatus cluster;
    // Consecutive waits for a dependency, for the doubling; reset by a batch taken whole.
    private int waits;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * @param clientProperties consumer properties (bootstrap servers, security), copied
     * @param groupId          the consumer group of the lake sink
     * @param tableByTopic     curated topic to lake table
     * @param writer           the tier-0 writer
     * @param flush            when to write objects
     * @param metrics          where to count
     * @param registry         resolves the schemas of the curated records
     * @param lake             where each table's declared column types are kept for the compactor
     */
    public LakeSink(
            Properties clientProperties,
            String groupId,
            Map<String, String> tableByTopic,
            Tier0Writer writer,
            Tier0Buffer.FlushPolicy flush,
            LakeMetrics metrics,
            SchemaRegistry registry,
            LakeFileSystem lake) {
        this(
                clientProperties,
                groupId,
                tableByTopic,
                Map.of(),
                Map.of(),
                writer,
                flush,
                metrics,
                registry,
                lake,
                ClusterStatus.IGNORED);
    }

    /**
     * A sink that reports commits the cluster cannot take to {@code cluster}, and keeps some tables as upserts.
     *
     * @param upsertKeyByTable the lake tables kept as upserts ({@link UpsertKeys}) and their key columns: a tombstone
     *                         on their topic (key = the key column's value, header
     *                         {@link CuratedFields#TOMBSTONE_EVENT_TIME_HEADER} = the removed row's event time)
     *                         removes the key's row from its hour
     * @param currentTableByTopic CDC curated topics whose current state is also kept, one row per record key (the
     *                         masked primary key), as the lake table named: a delete removes the key's row
     * @param cluster          where a commit the cluster cannot take is reported (registry failures are reported by
     *                         the registry's retries)
     */
    public LakeSink(
            Properties clientProperties,
            String groupId,
            Map<String, String> tableByTopic,
            Map<String, String> upsertKeyByTable,
            Map<String, String> currentTableByTopic,
            Tier0Writer writer,
            Tier0Buffer.FlushPolicy flush,
            LakeMetrics metrics,
            SchemaRegistry registry,
            LakeFileSystem lake,
            ClusterStatus cluster) {
        this(
                consumer(clientProperties, groupId),
                tableByTopic,
                upsertKeyByTable,
                currentTableByTopic,
                writer,
                flush,
                metrics,
                registry,
                lake,
                cluster);
    }

    /** A sink reading with the given consumer (a {@code MockConsumer} in tests). */
    LakeSink(
            Consumer<byte[], byte[]> consumer,
            Map<String, String> tableByTopic,
            Map<String, String> upsertKeyByTable,
            Map<String, String> currentTableByTopic,
            Tier0Writer writer,
            Tier0Buffer.FlushPolicy flush,
            LakeMetrics metrics,
            SchemaRegistry registry,
            LakeFileSystem lake,
            ClusterStatus cluster) {
        this.upsertKeyByTable = Map.copyOf(upsertKeyByTable);
        this.currentTableByTopic = Map.copyOf(currentTableByTopic);
        this.cluster = cluster;
        this.consumer = consumer;
        this.topics = List.copyOf(tableByTopic.keySet());
        this.tableByTopic = Map.copyOf(tableByTopic);
        this.buffer = new Tier0Buffer(writer, flush);
        this.metrics = metrics;
        this.avro = new CuratedAvroReader(registry);
        this.lake = lake;
        this.thread = new Thread(this, "sluice-lake-sink");
    }

    private static Consumer<byte[], byte[]> consumer(Properties clientProperties, String groupId) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The curated record as tier 0 holds it. Nulls of numeric and boolean columns are left out
     * (absent means null), because tier 0 is typed by its values: a number column that is null
     * throughout an hour must not make that hour's Parquet type it as text.
     */
    private LakeRecord lakeRecord(ConsumerRecord<byte[], byte[]> record) {
        String table = tableByTopic.get(record.topic());
        byte[] value = record.value();
        if (!CuratedAvroReader.isFramed(value)) {
            return LakeRecord.ofJson(
                    record.topic(), table, record.partition(), record.offset(), record.timestamp(), value);
        }
        Map<String, String> types = avro.lakeTypes(value);
        Map<String, String> docs = avro.lakeDocs(value);
        declare(table, types);
        document(table, docs);
        String current = currentTableByTopic.get(record.topic());
        if (current != null) {
            declare(current, types);
            document(current, docs);
        }
        Map<String, Object> row = avro.read(value);
        Set<String> nonText = avro.nonTextColumns(value);
        row.entrySet().removeIf(cell -> cell.getValue() == null && nonText.contains(cell.getKey()));
        return new LakeRecord(
                record.topic(), table, record.partition(), record.offset(), record.timestamp(), row, value.length);
    }

    /**
     * A tombstone as tier 0 holds it, for a table kept as upserts: the key and the removed row's event time, marked
     * {@link UpsertKeys#RETRACTED}; null for any other tombstone, which has nothing for the lake. One without a usable
     * event-time header (from before Sluice sent it) cannot be placed in an hour: it is logged and left out, and the
     * row it removes stays in the lake.
     */
    private LakeRecord tombstone(ConsumerRecord<byte[], byte[]> record) {
        String table = tableByTopic.get(record.topic());
        String keyColumn = upsertKeyByTable.get(table);
        if (keyColumn == null || record.key() == null) {
            return null;
        }
        Long eventTime = eventTimeOf(record.headers().lastHeader(CuratedFields.TOMBSTONE_EVENT_TIME_HEADER));
        if (eventTime == null) {
            LOG.warn(
                    "lake sink: tombstone {}-{}@{} has no {} header with an epoch-ms time; the row it removes stays in"
                            + " lake table {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    CuratedFields.TOMBSTONE_EVENT_TIME_HEADER,
                    table);
            return null;
        }
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put(keyColumn, new String(record.key(), StandardCharsets.UTF_8));
        row.put(CuratedFields.EVENT_TIME, eventTime);
        row.put(UpsertKeys.RETRACTED, Boolean.TRUE);
        return new LakeRecord(
                record.topic(),
                table,
                record.partition(),
                record.offset(),
                record.timestamp(),
                row,
                record.key().length);
    }

    /**
     * A CDC row for its table's current state: the row with its key, or for a delete the key's tombstone; null for a
     * topic without a current-state table or a record without a key (a table without primary key has no current state
     * by key).
     */
    private LakeRecord currentState(LakeRecord row, byte[] key) {
        String table = currentTableByTopic.get(row.topic());
        if (table == null || key == null || row.table().equals(table)) {
            return null;
        }
        Map<String, Object> columns = new java.util.LinkedHashMap<>();
        columns.put(UpsertKeys.CURRENT_KEY, new String(key, StandardCharsets.UTF_8));
        if (Boolean.TRUE.equals(row.row().get(CuratedFields.DELETED))) {
            columns.put(CuratedFields.EVENT_TIME, row.row().get(CuratedFields.EVENT_TIME));
            columns.put(UpsertKeys.RETRACTED, Boolean.TRUE);
        } else {
            columns.putAll(row.row());
        }
        return new LakeRecord(row.topic(), table, row.partition(), row.offset(), row.timestamp(), columns, row.bytes());
    }

    private static Long eventTimeOf(Header header) {
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Keeps the table's declared column types (every column any of its schemas has, long and double
     * widening to double, other mixes to text) in the lake for the compactor; written only when they change.
     */
    private void declare(String table, Map<String, String> types) {
        Map<String, String> known = declaredTypes.computeIfAbsent(table, t -> new java.util.LinkedHashMap<>());
        boolean changed = false;
        for (Map.Entry<String, String> column : types.entrySet()) {
            String before = known.get(column.getKey());
            String after = before == null || before.equals(column.getValue())
                    ? column.getValue()
                    : Set.of(before, column.getValue()).equals(Set.of("long", "double")) ? "double" : "string";
            if (!after.equals(before)) {
                known.put(column.getKey(), after);
                changed = true;
            }
        }
        if (changed) {
            LakeColumnTypes.write(lake, table, known);
        }
    }

    /** Keeps the table's column docs (the latest schema's, over those of earlier ones) in the lake; written only when they change. */
    private void document(String table, Map<String, String> docs) {
        Map<String, String> known = declaredDocs.computeIfAbsent(table, t -> new java.util.LinkedHashMap<>());
        boolean changed = false;
        for (Map.Entry<String, String> doc : docs.entrySet()) {
            if (!doc.getValue().equals(known.put(doc.getKey(), doc.getValue()))) {
                changed = true;
            }
        }
        if (changed) {
            LakeColumnDocs.write(lake, table, known);
        }
    }

    /** Starts consuming on the sink's own thread. */
    public void start() {
        thread.start();
    }

    /** The error that stopped the sink, if any. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            UpsertKeys.declare(lake, upsertKeyByTable);
            Map<String, String> currentKeys = new java.util.LinkedHashMap<>();
            currentTableByTopic.values().forEach(t -> currentKeys.put(t, UpsertKeys.CURRENT_KEY));
            UpsertKeys.declare(lake, currentKeys, true);
            consumer.subscribe(topics, new FlushOnRevoke());
            while (running) {
                if (!take(consumer.poll(POLL))) {
                    waitFor("the schema registry");
                    continue;
                }
                try {
                    if (buffer.isFlushDue(System.currentTimeMillis())) {
                        flushAndCommit();
                    } else if (buffer.isEmpty()) {
                        commitPositionsIfMoved();
                    }
                } catch (RetriableException e) {
                    // The objects are durable; the positions are committed again by a later pass, and a re-read is
                    // harmless.
                    cluster.failing();
                    waitFor("the Kafka cluster");
                }
            }
            flushAndCommit();
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            } else {
                flushAndCommit();
            }
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("lake sink stopped: {}", e.toString(), e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    /**
     * Adds a batch to the buffer, in offset order per partition. When the registry cannot give a record's schema now,
     * that record and every one after it (in every partition of the batch) are left to be polled again: false.
     */
    private boolean take(ConsumerRecords<byte[], byte[]> records) {
        List<TopicPartition> partitions = List.copyOf(records.partitions());
        for (int i = 0; i < partitions.size(); i++) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partitions.get(i))) {
                LakeRecord lakeRecord;
                try {
                    lakeRecord = record.value() == null ? tombstone(record) : lakeRecord(record);
                } catch (SchemaRegistryException e) {
                    if (!e.isRetriable()) {
                        throw e;
                    }
                    consumer.seek(partitions.get(i), record.offset());
                    for (TopicPartition later : partitions.subList(i + 1, partitions.size())) {
                        consumer.seek(later, records.records(later).get(0).offset());
                    }
                    return false;
                }
                if (lakeRecord != null) {
                    buffer.add(lakeRecord, System.currentTimeMillis());
                    LakeRecord current = currentState(lakeRecord, record.key());
                    if (current != null) {
                        buffer.add(current, System.currentTimeMillis());
                    }
                }
            }
        }
        if (!records.isEmpty()) {
            waits = 0;
        }
        return true;
    }

    /**
     * Waits, doubling each consecutive time, with every partition paused: polling on keeps the sink in its group and
     * runs rebalances, and records of a partition assigned meanwhile are left to be polled again.
     */
    private void waitFor(String dependency) {
        long pause = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS << Math.min(waits++, 10));
        LOG.warn("lake sink: {} unavailable; reading on from the same records in {} ms", dependency, pause);
        long until = System.currentTimeMillis() + pause;
        consumer.pause(consumer.assignment());
        while (running && System.currentTimeMillis() < until) {
            ConsumerRecords<byte[], byte[]> arrived = consumer.poll(POLL);
            for (TopicPartition tp : arrived.partitions()) {
                consumer.seek(tp, arrived.records(tp).get(0).offset());
            }
            consumer.pause(consumer.assignment());
        }
        consumer.resume(consumer.paused());
    }

    private void flushAndCommit() {
        for (Tier0Writer.Tier0Object object : buffer.flush()) {
            metrics.objects(object.table()).increment();
            metrics.rows(object.table()).increment(object.rows());
            metrics.bytes(object.table()).increment(object.bytes());
        }
        commitPositionsIfMoved();
    }

    /** Commits the consumer's positions: everything before them is in durable objects. */
    private void commitPositionsIfMoved() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp);
            Long last = committed.get(tp);
            if (last == null || last != position) {
                offsets.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
            cluster.recovered();
        }
    }

    /** Stops the sink after a final flush and commit. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class FlushOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            flushAndCommit();
            partitions.forEach(committed::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // positions come from the committed offsets
        }
    }
}
