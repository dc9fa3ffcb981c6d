package io.sluice.topology;

import io.sluice.config.AggregateConfig;
import io.sluice.config.DedupConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.pii.MaskingPolicy;
import io.sluice.serdes.registry.SchemaRegistry;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>MMP deduplication (by fields): {@code curate-<topic> → dedup-route-<topic>} into
 *   {@code <app>-dedup-<source>-repartition}, keyed by the identity, then {@code dedup-source-<source> →
 *   dedup-<source>} (store {@code dedup-<source>-store}) {@code → curated-dedup-<source>}.</li>
 *   <li>Aggregates take the rows where they leave for the curated topic (after deduplication):
 *   {@code agg-key-<name>-<node> → agg-route-<name>-<node>} into {@code <app>-agg-<name>-repartition},
 *   keyed by the group, then {@code agg-source-<name> → agg-<name>} (stores {@code agg-<name>-store},
 *   {@code agg-<name>-progress-store}) {@code → agg-sink-<name>} into {@code agg.<name>}.</li>
 * </ul>
 */
public final class SluiceTopology {
    private static final ByteArrayDeserializer IN = new ByteArrayDeserializer();
    private static final ByteArraySerializer OUT = new ByteArraySerializer();

    private SluiceTopology() {
    }

    /** The topology for a configuration; curated, aggregate and dimension schemas go to the registry. */
    public static Topology build(SluiceConfig config, MaskingPolicy policy, SluiceMetrics metrics, SchemaRegistry registry) {
        Topology topology = new Topology();
        for (SourceConfig source : config.sources()) {
            DedupConfig dedup = config.dedupFor(source.name());
            DedupIdentity identity = dedup == null ? null : new DedupIdentity(dedup.keyFields());
            boolean repartition = identity != null && identity.keyFields();
            List<AggregateConfig> aggregates = config.aggregatesOf(source.name());
            for (String topic : source.topics()) {
                String sourceNode = "source-" + topic;
                String curateNode = "curate-" + topic;
                String curatedSink = "curated-" + topic;
                String deadLetterSink = "dlq-" + topic;
                String curatedTopic = TopicNames.curated(source.name(), source.tableOf(topic));
                List<String> children = new ArrayList<>();
                if (dedup == null) {
                    children.add(curatedSink);
                    aggregates.forEach(a -> children.add(aggregateKeyNode(a, curateNode)));
                } else {
                    children.add(repartition ? "dedup-route-" + topic : "dedup-" + topic);
                }
                topology.addSource(sourceNode, IN, IN, topic);
                topology.addProcessor(curateNode, new CurateProcessor(source.name(), topic,
                        SourceDecoder.forTopic(source, topic, registry), policy, metrics, children, deadLetterSink, identity, registry,
                        source.tableOf(topic)), sourceNode);
                topology.addSink(deadLetterSink, TopicNames.deadLetter(config), OUT, OUT, curateNode);
                if (dedup == null) {
                    topology.addSink(curatedSink, curatedTopic, OUT, OUT, curateNode);
                    addAggregateRoutes(topology, config, aggregates, curateNode, registry);
                } else if (repartition) {
                    topology.addSink(children.get(0), TopicNames.dedupRepartition(config, source.name()), OUT, OUT, curateNode);
                } else {
                    String dedupNode = children.get(0);
                    topology.addProcessor(dedupNode, new DedupProcessor(source.name(), dedupNode + "-store", dedup.retention(), metrics),
                            curateNode);
                    topology.addSink(curatedSink, curatedTopic, OUT, OUT, dedupNode);
                    addAggregateRoutes(topology, config, aggregates, dedupNode, registry);
                }
            }
            if (repartition) {
                String dedupSource = "dedup-source-" + source.name();
                String dedupNode = "dedup-" + source.name();
                topology.addSource(dedupSource, IN, IN, TopicNames.dedupRepartition(config, source.name()));
                topology.addProcessor(dedupNode, new DedupProcessor(source.name(), dedupNode + "-store", dedup.retention(), metrics),
                        dedupSource);
                // Field identities are for single-table (MMP) sources: the configuration loader enforces it.
                topology.addSink("curated-" + dedupNode, TopicNames.curated(source.name(), source.tableOf(source.topics().get(0))),
                        OUT, OUT, dedupNode);
                addAggregateRoutes(topology, config, aggregates, dedupNode, registry);
            }
        }
        for (AggregateConfig aggregate : config.aggregates()) {
            String sourceNode = "agg-source-" + aggregate.name();
            String aggregateNode = "agg-" + aggregate.name();
            topology.addSource(sourceNode, IN, IN, TopicNames.aggregateRepartition(config, aggregate.name()));
            topology.addProcessor(aggregateNode, new WindowAggregateProcessor(aggregate, metrics, registry), sourceNode);
            topology.addSink("agg-sink-" + aggregate.name(), TopicNames.aggregate(aggregate.name()), OUT, OUT, aggregateNode);
        }
        return topology;
    }

    private static String aggregateKeyNode(AggregateConfig aggregate, String rowNode) {
        return "agg-key-" + aggregate.name() + "-" + rowNode;
    }

    /** Routes the rows leaving {@code rowNode} to each aggregate's repartition topic, keyed by group. */
    private static void addAggregateRoutes(Topology topology, SluiceConfig config, List<AggregateConfig> aggregates, String rowNode,
                                           SchemaRegistry registry) {
        for (AggregateConfig aggregate : aggregates) {
            String keyNode = aggregateKeyNode(aggregate, rowNode);
            topology.addProcessor(keyNode, new AggregateKeyProcessor(aggregate.groupBy(), registry), rowNode);
            topology.addSink("agg-route-" + aggregate.name() + "-" + rowNode, TopicNames.aggregateRepartition(config, aggregate.name()),
                    OUT, OUT, keyNode);
        }
    }
}
