package io.sluice.runtime;

import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.metrics.DependencyHealth;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.ops.RestoreProgress;
import io.sluice.pii.MaskingPolicy;
import io.sluice.serdes.registry.RegistryRetry;
import io.sluice.serdes.registry.RetryingSchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.LakeSink;
import io.sluice.sinks.Tier0Writer;
import io.sluice.topology.SluiceTopology;
import io.sluice.topology.TopologyMetrics;
import io.sluice.topology.TopologyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The running application: the Kafka Streams topology (source topics to curated topics) and the
 * lake sink (curated topics to tier-0 objects), against one Kafka cluster.
 */
public final class SluicePipeline implements AutoCloseable {
    /** Suffix of the lake sink's consumer group, after the application id. */
    public static final String LAKE_GROUP_SUFFIX = "-lake";

    private final SluiceConfig config;
    private final KafkaStreams streams;
    private final LakeSink lakeSink;
    private final Admin admin;
    private final RestoreProgress restore;
    private final DependencyHealth health;
    private final TopologyMetrics topologyMetrics;
    private volatile Throwable streamsFailure;

    private SluicePipeline(
            SluiceConfig config,
            KafkaStreams streams,
            LakeSink lakeSink,
            Admin admin,
            RestoreProgress restore,
            DependencyHealth health,
            TopologyMetrics topologyMetrics) {
        this.topologyMetrics = topologyMetrics;
        this.restore = restore;
        this.health = health;
        this.config = config;
        this.streams = streams;
        this.lakeSink = lakeSink;
        this.admin = admin;
    }

    /**
     * Creates missing output topics and starts the topology and the lake sink.
     *
     * @param registry     where curated schemas are registered and read from
     * @param topicConfigs configs for the output topics Sluice creates
     */
    public static SluicePipeline start(
            SluiceConfig config,
            MaskingPolicy policy,
            SluiceMetrics metrics,
            SchemaRegistry registry,
            Path stateDir,
            Map<String, String> topicConfigs) {
        // Read once: the kafka: section's references (credentials) as the clients take them.
        Map<String, String> kafka = config.kafkaProperties(System.getenv());
        Admin admin = Admin.create(ClientProperties.admin(kafka));
        createTopics(config, admin, topicConfigs);

        java.util.Properties props = StreamsSettings.of(config, stateDir, kafka);
        io.sluice.topology.InternalErrorHandler.install(props, metrics.topology(), TopologyNames.deadLetter(config));
        // Every registry call, in the topology and the lake sink, is retried before a failure reaches it.
        DependencyHealth health = new DependencyHealth(metrics.registry());
        SchemaRegistry guarded = RetryingSchemaRegistry.wrap(
                registry,
                config.schemaRegistry() == null
                        ? RegistryRetry.DEFAULT
                        : config.schemaRegistry().retry(),
                health.registryListener());
        KafkaStreams streams = new KafkaStreams(
                SluiceTopology.build(config, policy, metrics.topology(), guarded, dedupPartitions(config, admin)),
                props);
        RestoreProgress restore = new RestoreProgress();
        streams.setGlobalStateRestoreListener(restore);
        metrics.bindStreams(streams, restore);
        LakeFileSystem lake = config.lake().open();
        LakeSink lakeSink = new LakeSink(
                ClientProperties.consumer(kafka),
                config.applicationId() + LAKE_GROUP_SUFFIX,
                lakeTables(config),
                lakeUpsertKeys(config),
                lakeCurrentTables(config),
                new Tier0Writer(lake, config.lake().tier0Format()),
                config.lake().flush(),
                metrics.lake(),
                guarded,
                lake,
                health.clusterStatus());
        SluicePipeline pipeline =
                new SluicePipeline(config, streams, lakeSink, admin, restore, health, metrics.topology());
        streams.setUncaughtExceptionHandler(new StreamThreadRestarts(health, e -> pipeline.streamsFailure = e));
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                health.recovered(DependencyHealth.KAFKA); // every thread is back and has its tasks
            }
        });
        streams.start();
        lakeSink.start();
        return pipeline;
    }

    /** The lake table of every topic the lake sink reads: curated, aggregate and dimension history topics. */
    public static Map<String, String> lakeTables(SluiceConfig config) {
        Map<String, String> tableByTopic = new LinkedHashMap<>();
        for (SourceConfig source : config.sources()) {
            for (String topic : source.topics()) {
                String table = source.tableOf(topic);
                tableByTopic.put(
                        TopologyNames.curated(source.name(), table), TopologyNames.lakeTable(source.name(), table));
            }
        }
        config.aggregates().forEach(a -> tableByTopic.put(TopologyNames.aggregate(a.name()), "agg_" + a.name()));
        config.dimensions()
                .forEach(d ->
                        tableByTopic.put(TopologyNames.dimensionHistory(d.table()), dimensionHistoryTable(d.table())));
        return tableByTopic;
    }

    private static String dimensionHistoryTable(String table) {
        return "dim_" + table + "_history";
    }

    /**
     * With {@code lake.format: iceberg}, the current-state table of each CDC table by its curated topic:
     * {@code <source>_<table>_current}, one row per primary key; none in the Hive layout.
     */
    public static Map<String, String> lakeCurrentTables(SluiceConfig config) {
        Map<String, String> currentByTopic = new LinkedHashMap<>();
        if (config.lake().iceberg().isEmpty()) {
            return currentByTopic;
        }
        for (SourceConfig source : config.sources()) {
            if (source.type() != io.sluice.config.SourceType.DEBEZIUM) {
                continue;
            }
            for (String topic : source.topics()) {
                String table = source.tableOf(topic);
                currentByTopic.put(
                        TopologyNames.curated(source.name(), table),
                        TopologyNames.lakeTable(source.name(), table) + "_current");
            }
        }
        return currentByTopic;
    }

    /** The lake tables kept as upserts, with their key: each dimension's history, by {@code scd_id}. */
    public static Map<String, String> lakeUpsertKeys(SluiceConfig config) {
        Map<String, String> keyByTable = new LinkedHashMap<>();
        config.dimensions()
                .forEach(d -> keyByTable.put(
                        dimensionHistoryTable(d.table()), d.spec().naming().scdId()));
        return keyByTable;
    }

    /**
     * Topic configs that keep the broker from rejecting a record for its timestamp on topics Sluice creates. Kafka 4
     * brokers refuse a create-time stamp more than an hour ahead by default; the gate keeps record times at or before
     * each record's arrival, and this keeps a broker's own clock skew, or a cluster default tightened for other
     * applications, from stopping the pipeline on one record.
     */
    public static final Map<String, String> TIMESTAMPS_ANY_AGE = Map.of(
            "message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE),
            "message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE));

    /**
     * Creates the output and internal topics the topology writes, where missing: curated, aggregate
     * and dead-letter topics (stamped with append time unless configured otherwise), the dimension
     * topics (compacted) and Sluice's own repartition topics (bounded by size, not time).
     *
     * @param topicConfigs configs for the output topics Sluice creates
     */
    public static void createTopics(SluiceConfig config, Admin admin, Map<String, String> topicConfigs) {
        TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(60));
        Map<String, String> outputConfigs = new java.util.HashMap<>(topicConfigs);
        TIMESTAMPS_ANY_AGE.forEach(outputConfigs::putIfAbsent);
        if (config.topics().appendTimestamps()) {
            // Records carry event time; a backfill of old events would otherwise be deleted by time retention on
            // arrival.
            outputConfigs.putIfAbsent("message.timestamp.type", "LogAppendTime");
        }
        List<String> dimensionTopics = TopologyNames.dimensionTopics(config);
        provisioner.ensure(
                TopologyNames.outputs(config).stream()
                        .filter(t -> !dimensionTopics.contains(t))
                        .toList(),
                config.topics(),
                outputConfigs);
        // History and current rows are keyed upserts: compaction keeps the last row per scd_id and per natural key.
        Map<String, String> compacted = new java.util.HashMap<>(outputConfigs);
        compacted.put("cleanup.policy", "compact");
        provisioner.ensure(dimensionTopics, config.topics(), compacted);
        // Sluice's own repartition topics carry event-time stamps the windows need, so time retention would delete
        // replayed history before it is read: bound them by size instead.
        Map<String, String> internalConfigs = new java.util.HashMap<>(TIMESTAMPS_ANY_AGE);
        internalConfigs.putAll(Map.of("retention.ms", "-1", "retention.bytes", String.valueOf(1L << 30)));
        provisioner.ensure(TopologyNames.internal(config), config.topics(), internalConfigs);
    }

    /**
     * By source, the partition count of its dedup repartition topic (created first), so the topology deduplicates where
     * records are read when they are already in their identity's partition ({@code io.sluice.topology.DedupRoute}).
     */
    public static Map<String, Integer> dedupPartitions(SluiceConfig config, Admin admin) {
        Map<String, String> bySource = new LinkedHashMap<>();
        for (io.sluice.config.DedupConfig dedup : config.dedup()) {
            if (dedup.repartitioned()) {
                bySource.put(dedup.source(), TopologyNames.dedupRepartition(config, dedup.source()));
            }
        }
        if (bySource.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, Integer> counts =
                    new TopicProvisioner(admin, Duration.ofSeconds(60)).partitionCounts(List.copyOf(bySource.values()));
            Map<String, Integer> partitions = new LinkedHashMap<>();
            bySource.forEach((source, topic) -> partitions.put(source, counts.get(topic)));
            return partitions;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the dedup repartition topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the dedup repartition topics", e);
        }
    }

    /** State restoration progress. */
    public RestoreProgress restoreProgress() {
        return restore;
    }

    /** Which dependencies are failing now, for readiness. */
    public DependencyHealth health() {
        return health;
    }

    /** The Kafka Streams client, for state and metrics. */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Waits until the pipeline has processed everything currently in its source topics: the
     * topology has committed up to the end of every source partition, and the lake sink up to the
     * end of every curated partition, in two checks in a row.
     */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quietChecks = 0;
        while (quietChecks < 2) {
            checkHealthy();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pipeline did not become idle within " + timeout);
            }
            quietChecks = isIdle() ? quietChecks + 1 : 0;
            Thread.sleep(250);
        }
    }

    private boolean isIdle() throws InterruptedException {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        if (topologyMetrics.pendingPartials() > 0) {
            return false; // combined rows not yet sent to their aggregate: the repartition topic is not complete
        }
        try {
            return caughtUp(config.applicationId(), TopologyNames.inputs(config))
                    && caughtUp(config.applicationId(), TopologyNames.internal(config))
                    && caughtUp(config.applicationId() + LAKE_GROUP_SUFFIX, lakeTopics());
        } catch (ExecutionException e) {
            return false;
        }
    }

    private List<String> lakeTopics() {
        List<String> topics = new java.util.ArrayList<>(TopologyNames.curatedTopics(config));
        config.aggregates().forEach(a -> topics.add(TopologyNames.aggregate(a.name())));
        config.dimensions().forEach(d -> topics.add(TopologyNames.dimensionHistory(d.table())));
        return topics;
    }

    private boolean caughtUp(String group, List<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = new TopicProvisioner(admin, Duration.ofSeconds(30)).endOffsets(topics);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            long position = at == null ? 0 : at.offset();
            if (position < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Throws if Kafka Streams or the lake sink has failed for good (a dependency that is down is waited out, not thrown). */
    public void checkHealthy() {
        if (streamsFailure != null
                || streams.state() == KafkaStreams.State.ERROR
                || streams.state() == KafkaStreams.State.PENDING_ERROR) {
            throw new IllegalStateException("Kafka Streams failed", streamsFailure);
        }
        if (lakeSink.failure() != null) {
            throw new IllegalStateException("lake sink failed", lakeSink.failure());
        }
    }

    /** Stops the topology, then the lake sink after a final flush. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        lakeSink.close();
        admin.close(Duration.ofSeconds(5));
    }
}
