package io.sluice.topology;

import io.sluice.config.AggregateConfig;
import io.sluice.config.DedupConfig;
import io.sluice.config.DimensionConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.pii.MaskingPolicy;
import io.sluice.serdes.registry.SchemaRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * Builds Sluice's topology from a configuration. Building is separate from running, so tests build
 * exactly what production runs. Every node and store has an explicit, stable name derived from its
 * topic, source or aggregate.
 *
 * <ul>
 *   <li>Per source topic: {@code source-<topic> → curate-<topic> → curated-<topic> | dlq-<topic>}; every
 *   {@code dlq-*} sink writes to the one dead-letter topic.</li>
 *   <li>CDC deduplication (by key and source position): {@code curate-<topic> → dedup-<topic>} (store
 *   {@code dedup-<topic>-store}) {@code → curated-<topic>}; copies share a key, so a partition.</li>
 *   <li>MMP deduplication (by fields): {@code curate-<topic> → dedup-<source>} (store {@code dedup-<source>-store})
 *   {@code → curated-dedup-<source>} for a record read in the task of its identity's partition ({@link DedupRoute});
 *   any other goes {@code curate-<topic> → dedup-route-<topic>} into {@code <app>-dedup-<source>-repartition}, keyed
 *   by the identity's first field, and reaches the same node in that partition's task through {@code
 *   dedup-source-<source>}. When the input is declared keyed by one of the identity's fields ({@code inputKey}),
 *   deduplication is where it is read, as for CDC, in a store per topic.</li>
 *   <li>Aggregates take the rows where they leave for the curated topic (after deduplication):
 *   {@code agg-key-<name>-<node> → agg-route-<name>-<node>} into {@code <app>-agg-<name>-repartition},
 *   keyed by the group — combined first per group and window for {@code preAggregate} in
 *   {@code agg-key-…} (store {@code agg-<name>-partial-<node>-store}), so one partial per group and window
 *   travels instead of every row — then {@code agg-source-<name> → agg-<name>} (stores {@code agg-<name>-store},
 *   {@code agg-<name>-progress-store}) {@code → agg-sink-<name>} into {@code agg.<name>}.</li>
 *   <li>Dimensions take their table's rows at the same place: {@code dim-key-<table>-<node> →
 *   dim-route-<table>-<node>} into {@code <app>-dim-<table>-repartition}, keyed by natural key, then
 *   {@code dim-source-<table> → dim-<table>} (store {@code dim-<table>-store}) {@code → dim-history-<table>,
 *   dim-current-<table>} into {@code dim.<table>.history} and {@code dim.<table>.current}.</li>
 * </ul>
 */
public final class SluiceTopology {
    private static final ByteArrayDeserializer IN = new ByteArrayDeserializer();
    private static final ByteArraySerializer OUT = new ByteArraySerializer();

    private SluiceTopology() {}

    /**
     * The topology for a configuration when the dedup repartition topics' partition counts are not known: every record
     * of a source deduplicated by fields travels through its repartition topic.
     */
    public static Topology build(
            SluiceConfig config, MaskingPolicy policy, TopologyMetrics metrics, SchemaRegistry registry) {
        return build(config, policy, metrics, registry, Map.of());
    }

    /**
     * The topology for a configuration; curated, aggregate and dimension schemas go to the registry.
     *
     * @param dedupPartitions by source, the partition count of its dedup repartition topic (see {@link DedupRoute}); a
     *                        source missing here sends every record through the topic
     */
    public static Topology build(
            SluiceConfig config,
            MaskingPolicy policy,
            TopologyMetrics metrics,
            SchemaRegistry registry,
            Map<String, Integer> dedupPartitions) {
        Topology topology = new Topology();
        for (SourceConfig source : config.sources()) {
            DedupConfig dedup = config.dedupFor(source.name());
            DedupIdentity identity = dedup == null ? null : new DedupIdentity(dedup.keyFields(), dedup.inputKey());
            boolean repartition = identity != null && identity.repartitioned();
            String dedupRepartition = TopologyNames.dedupRepartition(config, source.name());
            DedupRoute route = repartition
                    ? new DedupRoute(
                            dedup.keyFields().get(0), dedupRepartition, dedupPartitions.getOrDefault(source.name(), 0))
                    : null;
            List<String> curateNodes = new ArrayList<>();
            List<AggregateConfig> aggregates = config.aggregatesOf(source.name());
            for (String topic : source.topics()) {
                String sourceNode = "source-" + topic;
                String curateNode = "curate-" + topic;
                String curatedSink = "curated-" + topic;
                String deadLetterSink = "dlq-" + topic;
                String curatedTopic = TopologyNames.curated(source.name(), source.tableOf(topic));
                DimensionConfig dimension = config.dimensionFor(source.name(), source.tableOf(topic));
                List<String> children = new ArrayList<>();
                if (dedup == null) {
                    children.add(curatedSink);
                    aggregates.forEach(a -> children.add(aggregateKeyNode(a, curateNode)));
                    if (dimension != null) {
                        children.add(dimensionKeyNode(dimension, curateNode));
                    }
                } else if (repartition) {
                    // Each record goes to one of the two: deduplicated here, or sent to its identity's partition.
                    children.add("dedup-" + source.name());
                    children.add("dedup-route-" + topic);
                } else {
                    children.add("dedup-" + topic);
                }
                topology.addSource(sourceNode, IN, IN, topic);
                curateNodes.add(curateNode);
                topology.addProcessor(
                        curateNode,
                        new CurateProcessorSupplier(
                                source,
                                topic,
                                SourceDecoder.forTopic(source, topic, registry),
                                policy,
                                metrics,
                                children,
                                deadLetterSink,
                                identity,
                                route,
                                registry),
                        sourceNode);
                topology.addSink(deadLetterSink, TopologyNames.deadLetter(config), OUT, OUT, curateNode);
                if (dedup == null) {
                    topology.addSink(curatedSink, curatedTopic, OUT, OUT, curateNode);
                    addAggregateRoutes(topology, config, aggregates, curateNode, metrics, registry);
                    addDimensionRoute(topology, config, dimension, curateNode, registry);
                } else if (repartition) {
                    topology.addSink(children.get(1), dedupRepartition, OUT, OUT, route.partitioner(), curateNode);
                } else {
                    String dedupNode = children.get(0);
                    topology.addProcessor(
                            dedupNode,
                            new DedupProcessorSupplier(
                                    source.name(),
                                    TopologyNames.dedupStore(topic),
                                    dedup.retention(),
                                    metrics,
                                    dedup.idleTimeout()),
                            curateNode);
                    topology.addSink(curatedSink, curatedTopic, OUT, OUT, dedupNode);
                    addAggregateRoutes(topology, config, aggregates, dedupNode, metrics, registry);
                    addDimensionRoute(topology, config, dimension, dedupNode, registry);
                }
            }
            if (repartition) {
                String dedupSource = "dedup-source-" + source.name();
                String dedupNode = "dedup-" + source.name();
                topology.addSource(dedupSource, IN, IN, dedupRepartition);
                // Fed by the curate steps too, so both share a task per partition number and the store.
                List<String> parents = new ArrayList<>(curateNodes);
                parents.add(dedupSource);
                topology.addProcessor(
                        dedupNode,
                        new DedupProcessorSupplier(
                                source.name(),
                                TopologyNames.dedupStore(source.name()),
                                dedup.retention(),
                                metrics,
                                dedup.idleTimeout(),
                                true),
                        parents.toArray(String[]::new));
                // Field identities are for single-table (MMP) sources: the configuration loader enforces it.
                topology.addSink(
                        "curated-" + dedupNode,
                        TopologyNames.curated(
                                source.name(), source.tableOf(source.topics().get(0))),
                        OUT,
                        OUT,
                        dedupNode);
                addAggregateRoutes(topology, config, aggregates, dedupNode, metrics, registry);
            }
        }
        for (AggregateConfig aggregate : config.aggregates()) {
            String sourceNode = "agg-source-" + aggregate.name();
            String aggregateNode = "agg-" + aggregate.name();
            topology.addSource(sourceNode, IN, IN, TopologyNames.aggregateRepartition(config, aggregate.name()));
            topology.addProcessor(
                    aggregateNode, new WindowAggregateProcessorSupplier(aggregate, metrics, registry), sourceNode);
            topology.addSink(
                    "agg-sink-" + aggregate.name(), TopologyNames.aggregate(aggregate.name()), OUT, OUT, aggregateNode);
        }
        for (DimensionConfig dimension : config.dimensions()) {
            String table = dimension.table();
            String sourceNode = "dim-source-" + table;
            String dimensionNode = "dim-" + table;
            topology.addSource(sourceNode, IN, IN, TopologyNames.dimensionRepartition(config, table));
            topology.addProcessor(
                    dimensionNode,
                    new DimensionProcessorSupplier(
                            dimension,
                            metrics,
                            registry,
                            "dim-history-" + table,
                            "dim-current-" + table,
                            "dim-dlq-" + table),
                    sourceNode);
            topology.addSink("dim-history-" + table, TopologyNames.dimensionHistory(table), OUT, OUT, dimensionNode);
            topology.addSink("dim-current-" + table, TopologyNames.dimensionCurrent(table), OUT, OUT, dimensionNode);
            topology.addSink("dim-dlq-" + table, TopologyNames.deadLetter(config), OUT, OUT, dimensionNode);
        }
        return topology;
    }

    private static String dimensionKeyNode(DimensionConfig dimension, String rowNode) {
        return "dim-key-" + dimension.table() + "-" + rowNode;
    }

    /** Routes a table's rows leaving {@code rowNode} to its dimension's repartition topic, keyed by natural key. */
    private static void addDimensionRoute(
            Topology topology,
            SluiceConfig config,
            DimensionConfig dimension,
            String rowNode,
            SchemaRegistry registry) {
        if (dimension == null) {
            return;
        }
        String keyNode = dimensionKeyNode(dimension, rowNode);
        topology.addProcessor(
                keyNode, RekeyProcessorSupplier.byNaturalKey(dimension.spec().keyColumns(), registry), rowNode);
        topology.addSink(
                "dim-route-" + dimension.table() + "-" + rowNode,
                TopologyNames.dimensionRepartition(config, dimension.table()),
                OUT,
                OUT,
                keyNode);
    }

    private static String aggregateKeyNode(AggregateConfig aggregate, String rowNode) {
        return "agg-key-" + aggregate.name() + "-" + rowNode;
    }

    /** Routes the rows leaving {@code rowNode} to each aggregate's repartition topic, keyed by group. */
    private static void addAggregateRoutes(
            Topology topology,
            SluiceConfig config,
            List<AggregateConfig> aggregates,
            String rowNode,
            TopologyMetrics metrics,
            SchemaRegistry registry) {
        for (AggregateConfig aggregate : aggregates) {
            String keyNode = aggregateKeyNode(aggregate, rowNode);
            if (aggregate.preAggregate().isZero()) {
                topology.addProcessor(keyNode, RekeyProcessorSupplier.byGroup(aggregate.groupBy(), registry), rowNode);
            } else {
                topology.addProcessor(
                        keyNode,
                        new PartialAggregateProcessorSupplier(
                                aggregate,
                                TopologyNames.aggregatePartialStore(aggregate.name(), rowNode),
                                metrics,
                                registry),
                        rowNode);
            }
            topology.addSink(
                    "agg-route-" + aggregate.name() + "-" + rowNode,
                    TopologyNames.aggregateRepartition(config, aggregate.name()),
                    OUT,
                    OUT,
                    keyNode);
        }
    }
}
