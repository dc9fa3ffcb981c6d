package io.sluice.topology;

import io.sluice.config.DedupConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.pii.MaskingPolicy;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * Builds Sluice's topology from a configuration. Building is separate from running, so tests build
 * exactly what production runs. Every node and store has an explicit, stable name derived from its
 * topic or source.
 *
 * <ul>
 *   <li>Per source topic: {@code source-<topic> → curate-<topic> → curated-<topic> | dlq-<topic>}; every
 *   {@code dlq-*} sink writes to the one dead-letter topic.</li>
 *   <li>CDC deduplication (by key and source position): {@code curate-<topic> → dedup-<topic>} (store
 *   {@code dedup-<topic>-store}) {@code → curated-<topic>}; copies share a key, so a partition.</li>
 *   <li>MMP deduplication (by fields): {@code curate-<topic> → dedup-route-<topic>} into
 *   {@code <app>-dedup-<source>-repartition}, keyed by the identity, then {@code dedup-source-<source> →
 *   dedup-<source>} (store {@code dedup-<source>-store}) {@code → curated-dedup-<source>}.</li>
 * </ul>
 */
public final class SluiceTopology {

    private SluiceTopology() {
    }

    /** The topology for a configuration. */
    public static Topology build(SluiceConfig config, MaskingPolicy policy, SluiceMetrics metrics) {
        Topology topology = new Topology();
        ByteArrayDeserializer in = new ByteArrayDeserializer();
        ByteArraySerializer out = new ByteArraySerializer();
        for (SourceConfig source : config.sources()) {
            DedupConfig dedup = config.dedupFor(source.name());
            DedupIdentity identity = dedup == null ? null : new DedupIdentity(dedup.keyFields());
            boolean repartition = identity != null && identity.keyFields();
            for (String topic : source.topics()) {
                String sourceNode = "source-" + topic;
                String curateNode = "curate-" + topic;
                String curatedSink = "curated-" + topic;
                String deadLetterSink = "dlq-" + topic;
                String curatedTopic = TopicNames.curated(source.name(), source.tableOf(topic));
                String next = dedup == null ? curatedSink : repartition ? "dedup-route-" + topic : "dedup-" + topic;
                topology.addSource(sourceNode, in, in, topic);
                topology.addProcessor(curateNode, new CurateProcessor(source.name(), topic,
                        SourceDecoder.forTopic(source, topic), policy, metrics, next, deadLetterSink, identity), sourceNode);
                topology.addSink(deadLetterSink, TopicNames.deadLetter(config), out, out, curateNode);
                if (dedup == null) {
                    topology.addSink(curatedSink, curatedTopic, out, out, curateNode);
                } else if (repartition) {
                    topology.addSink(next, TopicNames.dedupRepartition(config, source.name()), out, out, curateNode);
                } else {
                    topology.addProcessor(next, new DedupProcessor(source.name(), "dedup-" + topic + "-store",
                            dedup.retention(), metrics), curateNode);
                    topology.addSink(curatedSink, curatedTopic, out, out, next);
                }
            }
            if (repartition) {
                String dedupSource = "dedup-source-" + source.name();
                String dedupNode = "dedup-" + source.name();
                topology.addSource(dedupSource, in, in, TopicNames.dedupRepartition(config, source.name()));
                topology.addProcessor(dedupNode, new DedupProcessor(source.name(), dedupNode + "-store", dedup.retention(), metrics),
                        dedupSource);
                // Field identities are for single-table (MMP) sources: the configuration loader enforces it.
                topology.addSink("curated-" + dedupNode, TopicNames.curated(source.name(), source.tableOf(source.topics().get(0))),
                        out, out, dedupNode);
            }
        }
        return topology;
    }
}
