package io.sluice.lake;

import io.sluice.metrics.SluiceMetrics;
import io.sluice.runtime.ClientProperties;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.sinks.LakeColumnTypes;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.LakeRecord;
import io.sluice.sinks.Tier0Buffer;
import io.sluice.sinks.Tier0Writer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the curated topics and writes tier-0 lake objects. Offsets are committed only after the
 * objects holding every record up to them are durable, so a crash re-reads rather than loses; the
 * deterministic object names and the compactor's (partition, offset) identity make the re-read
 * harmless. Runs on its own thread.
 */
public final class LakeSink implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final Map<String, String> tableByTopic;
    private final Tier0Buffer buffer;
    private final SluiceMetrics metrics;
    private final CuratedAvroReader avro;
    private final LakeFileSystem lake;
    private final Map<String, Map<String, String>> declaredTypes = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * @param clientProperties Kafka client properties (bootstrap servers, security)
     * @param groupId          the consumer group of the lake sink
     * @param tableByTopic     curated topic to lake table
     * @param writer           the tier-0 writer
     * @param flush            when to write objects
     * @param metrics          where to count
     * @param registry         resolves the schemas of the curated records
     * @param lake             where each table's declared column types are kept for the compactor
     */
    public LakeSink(Map<String, String> clientProperties, String groupId, Map<String, String> tableByTopic,
                    Tier0Writer writer, Tier0Buffer.FlushPolicy flush, SluiceMetrics metrics, SchemaRegistry registry, LakeFileSystem lake) {
        Properties props = ClientProperties.consumer(clientProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = List.copyOf(tableByTopic.keySet());
        this.tableByTopic = Map.copyOf(tableByTopic);
        this.buffer = new Tier0Buffer(writer, flush);
        this.metrics = metrics;
        this.avro = new CuratedAvroReader(registry);
        this.lake = lake;
        this.thread = new Thread(this, "sluice-lake-sink");
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
            return LakeRecord.ofJson(record.topic(), table, record.partition(), record.offset(), record.timestamp(), value);
        }
        declare(table, avro.lakeTypes(value));
        Map<String, Object> row = avro.read(value);
        Set<String> nonText = avro.nonTextColumns(value);
        row.entrySet().removeIf(cell -> cell.getValue() == null && nonText.contains(cell.getKey()));
        return new LakeRecord(record.topic(), table, record.partition(), record.offset(), record.timestamp(), row, value.length);
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
            String after = before == null || before.equals(column.getValue()) ? column.getValue()
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
            consumer.subscribe(topics, new FlushOnRevoke());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.value() != null) {
                        buffer.add(lakeRecord(record), System.currentTimeMillis());
                    }
                }
                if (buffer.isFlushDue(System.currentTimeMillis())) {
                    flushAndCommit();
                } else if (buffer.isEmpty()) {
                    commitPositionsIfMoved();
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

    private void flushAndCommit() {
        for (Tier0Writer.Tier0Object object : buffer.flush()) {
            metrics.lakeObjects(object.table()).increment();
            metrics.lakeRows(object.table()).increment(object.rows());
            metrics.lakeBytes(object.table()).increment(object.bytes());
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
