package io.sluice.runtime;

import io.sluice.config.ByteSizes;
import io.sluice.config.ConfigException;
import io.sluice.config.SluiceConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams properties: the configuration's {@code kafka:} section over Sluice's defaults.
 *
 * <p>Defaults, and why (figures in docs/performance.md, measured with {@code sluice bench}):
 * <ul>
 *   <li>{@code processing.guarantee=exactly_once_v2}: one of Sluice's guarantees.</li>
 *   <li>{@code rocksdb.config.setter=}{@link BoundedRocksDbMemory}, with {@value #ROCKSDB_MEMORY_CONFIG} (64 MiB) and
 *   {@value #ROCKSDB_WRITE_BUFFERS_CONFIG} (half of it): all RocksDB stores of the process share one bounded
 *   block cache, memtables included, so a pod's memory does not grow with its stores and window segments.</li>
 *   <li>{@code producer.batch.size=}{@value #DEFAULT_PRODUCER_BATCH_SIZE} (256 KiB; Kafka's 16 KiB fills in a few
 *   milliseconds at Sluice's rates): Kafka Streams lingers 100 ms and flushes at every commit anyway, so larger
 *   batches mean fewer produce requests, and the brokers' cost is mostly per request. On sluice bench's step (g)
 *   (exactly-once) this cut the application's and the broker's CPU per record by a third or more (issue 19,
 *   docs/performance.md). With the producer's 32 MiB buffer that is 128 partitions written at once before
 *   sends wait for memory; raise {@code producer.buffer.memory} for more.</li>
 *   <li>{@code producer.compression.type=lz4}: see {@link #DEFAULT_COMPRESSION}.</li>
 *   <li>{@code max.task.idle.ms=-1}: see {@link #DEFAULT_MAX_TASK_IDLE_MS}.</li>
 *   <li>{@code commit.interval.ms}, {@code num.stream.threads} and {@code statestore.cache.max.bytes} keep Kafka's
 *   defaults (100 ms under exactly-once, 1 thread, 10 MiB — the cache serves the aggregate stores only, which fold a
 *   window's updates into one store write per commit; dedup and dimension stores must see every record and do not
 *   cache).</li>
 * </ul>
 */
public final class StreamsSettings {
    /** Off-heap bytes for all RocksDB stores of the process together (block cache and memtables), or {@code unbounded}. */
    public static final String ROCKSDB_MEMORY_CONFIG = "sluice.rocksdb.memory";
    /** The part of {@value #ROCKSDB_MEMORY_CONFIG} memtables may take before they are flushed. */
    public static final String ROCKSDB_WRITE_BUFFERS_CONFIG = "sluice.rocksdb.writeBuffers";
    /** 64 MiB: a fraction of a typical pod's memory, enough for the dedup, aggregate and dimension stores' hot blocks. */
    public static final long DEFAULT_ROCKSDB_MEMORY = 64L << 20;

    /** Bytes per producer batch by default: 256 KiB. */
    public static final int DEFAULT_PRODUCER_BATCH_SIZE = 256 * 1024;

    /**
     * The codec of every batch Sluice writes (curated, aggregate, dimension, dead-letter, changelog and repartition
     * topics): lz4. Brokers then store, copy and validate a fraction of the bytes; on sluice bench's step (g) the
     * broker's CPU per record fell by a third to two fifths and the application's did not rise (issue 19).
     */
    public static final String DEFAULT_COMPRESSION = "lz4";

    /**
     * Tasks never wait for a partition with nothing buffered. Sluice joins no streams, so it needs no time alignment
     * between a task's partitions; the one task with two (a deduplicated source's input and its dedup repartition
     * topic, see {@code DedupRoute}) would otherwise, with Kafka's 0, check the empty one's fetch lag and format a log
     * line about it before every record: 7% of the stream thread in sluice bench's step (g).
     */
    public static final long DEFAULT_MAX_TASK_IDLE_MS = StreamsConfig.MAX_TASK_IDLE_MS_DISABLED;

    private static final String UNBOUNDED = "unbounded";

    private StreamsSettings() {}

    /**
     * The properties for the topology's Kafka Streams client, with the {@code kafka:} section's references read from
     * the process environment or files.
     *
     * @param stateDir the state directory (the pod's volume in production)
     * @throws ConfigException if a Sluice setting under {@code kafka:} has a bad value or a reference cannot be read
     */
    public static Properties of(SluiceConfig config, Path stateDir) {
        return of(config, stateDir, config.kafkaProperties(System.getenv()));
    }

    /**
     * The properties for the topology's Kafka Streams client.
     *
     * @param stateDir the state directory (the pod's volume in production)
     * @param kafka    the {@code kafka:} section with its references read ({@link SluiceConfig#kafkaProperties})
     * @throws ConfigException if a Sluice setting under {@code kafka:} has a bad value
     */
    public static Properties of(SluiceConfig config, Path stateDir, Map<String, String> kafka) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, SluiceConfig.DEFAULT_APPLICATION_ID);
        // Exactly-once from source topics to curated topics is one of Sluice's guarantees.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A refactor must never silently rename a changelog or repartition topic.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        // Recommended by Kafka Streams 4.x and the default from 5.0: one error-handling behaviour everywhere.
        props.put("processing.exception.handler.global.enabled", "true");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        // Changelog and repartition topics Kafka Streams creates carry record timestamps too.
        SluicePipeline.TIMESTAMPS_ANY_AGE.forEach((key, value) -> props.put(StreamsConfig.topicPrefix(key), value));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), DEFAULT_PRODUCER_BATCH_SIZE);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), DEFAULT_COMPRESSION);
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, DEFAULT_MAX_TASK_IDLE_MS);
        props.putAll(kafka);
        boundRocksDbMemory(kafka, props);
        return props;
    }

    /** Replaces the memory settings by validated byte counts and installs the bounded setter, unless told otherwise. */
    private static void boundRocksDbMemory(Map<String, String> kafka, Properties props) {
        String memoryText = kafka.get(ROCKSDB_MEMORY_CONFIG);
        if (memoryText != null && memoryText.strip().equalsIgnoreCase(UNBOUNDED)) {
            props.remove(ROCKSDB_MEMORY_CONFIG);
            props.remove(ROCKSDB_WRITE_BUFFERS_CONFIG);
            return;
        }
        long memory = memoryText == null
                ? DEFAULT_ROCKSDB_MEMORY
                : ByteSizes.parse("kafka." + ROCKSDB_MEMORY_CONFIG, memoryText);
        String writeBuffersText = kafka.get(ROCKSDB_WRITE_BUFFERS_CONFIG);
        // Half for memtables: with a quarter (16 of 64 MiB), sluice bench's step (g) drained ~13% slower than
        // unbounded,
        // as small memtables flush into many small files for compaction to merge; with half it is within run-to-run
        // noise.
        long writeBuffers = writeBuffersText == null
                ? memory / 2
                : ByteSizes.parse("kafka." + ROCKSDB_WRITE_BUFFERS_CONFIG, writeBuffersText);
        if (writeBuffers > memory) {
            throw new ConfigException(
                    "kafka." + ROCKSDB_WRITE_BUFFERS_CONFIG,
                    "must not exceed kafka." + ROCKSDB_MEMORY_CONFIG + " (memtables are charged to that cache)");
        }
        props.put(ROCKSDB_MEMORY_CONFIG, memory);
        props.put(ROCKSDB_WRITE_BUFFERS_CONFIG, writeBuffers);
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
    }
}
