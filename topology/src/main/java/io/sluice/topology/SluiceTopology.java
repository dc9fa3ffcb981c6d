package io.sluice.topology;

import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.pii.MaskingPolicy;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * Builds Sluice's topology from a configuration. Building is separate from running, so tests build
 * exactly what production runs. Every node has an explicit, stable name derived from its topic.
 */
public final class SluiceTopology {

    private SluiceTopology() {
    }

    /**
     * The topology: per source topic, {@code source-<topic> → curate-<topic> → curated-<topic> | dlq-<topic>};
     * every {@code dlq-*} sink writes to the one dead-letter topic.
     */
    public static Topology build(SluiceConfig config, MaskingPolicy policy, SluiceMetrics metrics) {
        Topology topology = new Topology();
        ByteArrayDeserializer in = new ByteArrayDeserializer();
        ByteArraySerializer out = new ByteArraySerializer();
        for (SourceConfig source : config.sources()) {
            for (String topic : source.topics()) {
                String sourceNode = "source-" + topic;
                String curateNode = "curate-" + topic;
                String curatedSink = "curated-" + topic;
                String deadLetterSink = "dlq-" + topic;
                topology.addSource(sourceNode, in, in, topic);
                topology.addProcessor(curateNode, new CurateProcessor(source.name(), topic,
                        SourceDecoder.forTopic(source, topic), policy, metrics, curatedSink, deadLetterSink), sourceNode);
                topology.addSink(curatedSink, TopicNames.curated(source.name(), source.tableOf(topic)), out, out, curateNode);
                topology.addSink(deadLetterSink, TopicNames.deadLetter(config), out, out, curateNode);
            }
        }
        return topology;
    }
}
