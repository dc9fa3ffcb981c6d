package io.sluice.topology;

import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of every topic, state store and repartition topic Sluice makes, derived from the configuration only: the one
 * place they are built, so that the topology, topic provisioning, the lake sink and the HTTP queries agree.
 */
public final class TopologyNames {
    /** Prefix of curated topics: {@code curated.<source>.<table>}. */
    public static final String CURATED_PREFIX = "curated.";

    private TopologyNames() {}

    /** The curated topic of a table. */
    public static String curated(String source, String table) {
        return CURATED_PREFIX + source + "." + table;
    }

    /** The Avro record name of a curated table's rows: {@code io.sluice.curated.<source>.<table>}. */
    public static String curatedRecordName(String source, String table) {
        return "io.sluice.curated." + source + "." + table;
    }

    /** The Avro record name of an aggregate's rows: {@code io.sluice.agg.<name>}. */
    public static String aggregateRecordName(String aggregate) {
        return "io.sluice.agg." + aggregate;
    }

    /** The dead-letter topic: one for the whole application, {@code sluice.dlq} unless configured. */
    public static String deadLetter(SluiceConfig config) {
        return config.deadLetterTopic();
    }

    /** The lake table of a curated topic's table: {@code <source>_<table>}. */
    public static String lakeTable(String source, String table) {
        return source + "_" + table;
    }

    /** The repartition topic that brings copies of an MMP source's events together for deduplication. */
    public static String dedupRepartition(SluiceConfig config, String source) {
        return config.applicationId() + "-dedup-" + source + "-repartition";
    }

    /** The output topic of an aggregate. */
    public static String aggregate(String name) {
        return "agg." + name;
    }

    /** The repartition topic that brings an aggregate's groups together. */
    public static String aggregateRepartition(SluiceConfig config, String name) {
        return config.applicationId() + "-agg-" + name + "-repartition";
    }

    /** The history topic of a dimension: every version row, upserted by {@code scd_id}. */
    public static String dimensionHistory(String table) {
        return "dim." + table + ".history";
    }

    /** The current-state topic of a dimension: one row per natural key, compacted. */
    public static String dimensionCurrent(String table) {
        return "dim." + table + ".current";
    }

    /** The Avro record name of a dimension's history rows. */
    public static String dimensionHistoryRecordName(String table) {
        return "io.sluice.dim." + table + ".history";
    }

    /** The Avro record name of a dimension's current rows. */
    public static String dimensionCurrentRecordName(String table) {
        return "io.sluice.dim." + table + ".current";
    }

    /**
     * The state store of a deduplication step (and so its changelog's name): {@code dedup-<topic>-store} for a CDC topic,
     * deduplicated where it is read; {@code dedup-<source>-store} for an MMP source, after its repartition.
     */
    public static String dedupStore(String topicOrSource) {
        return "dedup-" + topicOrSource + "-store";
    }

    /** The window store of an aggregate (and so its changelog's name). */
    public static String aggregateStore(String name) {
        return "agg-" + name + "-store";
    }

    /** The store of an aggregate's per-partition event-time progress (and so its changelog's name). */
    public static String aggregateProgressStore(String name) {
        return "agg-" + name + "-progress-store";
    }

    /** The store where rows leaving {@code rowNode} are combined before they travel to the aggregate's partitions. */
    public static String aggregatePartialStore(String name, String rowNode) {
        return "agg-" + name + "-partial-" + rowNode + "-store";
    }

    /** The state store of a dimension's per-key history (and so its changelog's name). */
    public static String dimensionStore(String table) {
        return "dim-" + table + "-store";
    }

    /** The repartition topic that brings a dimension's changes together by natural key. */
    public static String dimensionRepartition(SluiceConfig config, String table) {
        return config.applicationId() + "-dim-" + table + "-repartition";
    }

    /** Every dimension topic (history and current), which Sluice creates compacted: both are keyed upserts. */
    public static List<String> dimensionTopics(SluiceConfig config) {
        List<String> topics = new ArrayList<>();
        config.dimensions().forEach(d -> {
            topics.add(dimensionHistory(d.table()));
            topics.add(dimensionCurrent(d.table()));
        });
        return topics;
    }

    /** Topics Sluice itself creates for its own use (not for consumers). */
    public static List<String> internal(SluiceConfig config) {
        List<String> topics = new ArrayList<>();
        config.dimensions().forEach(d -> topics.add(dimensionRepartition(config, d.table())));
        config.aggregates().forEach(a -> topics.add(aggregateRepartition(config, a.name())));
        for (io.sluice.config.DedupConfig dedup : config.dedup()) {
            if (dedup.repartitioned()) {
                topics.add(dedupRepartition(config, dedup.source()));
            }
        }
        return topics;
    }

    /** Every topic the sources read. */
    public static List<String> inputs(SluiceConfig config) {
        List<String> topics = new ArrayList<>();
        config.sources().forEach(s -> topics.addAll(s.topics()));
        return topics;
    }

    /** Every curated topic, in configuration order, without repeats. */
    public static List<String> curatedTopics(SluiceConfig config) {
        List<String> topics = new ArrayList<>();
        for (SourceConfig source : config.sources()) {
            for (String topic : source.topics()) {
                String curated = curated(source.name(), source.tableOf(topic));
                if (!topics.contains(curated)) {
                    topics.add(curated);
                }
            }
        }
        return topics;
    }

    /** Every topic Sluice writes for consumers: curated, aggregate and dimension topics, then the dead-letter topic. */
    public static List<String> outputs(SluiceConfig config) {
        List<String> topics = new ArrayList<>(curatedTopics(config));
        config.aggregates().forEach(a -> topics.add(aggregate(a.name())));
        topics.addAll(dimensionTopics(config));
        topics.add(deadLetter(config));
        return topics;
    }
}
