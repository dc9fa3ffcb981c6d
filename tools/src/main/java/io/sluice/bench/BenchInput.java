package io.sluice.bench;

import io.sluice.config.SluiceConfig;
import io.sluice.topology.TopologyNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ladder's input in the source topics: generated from a fixed seed, and produced again, the
 * same records, after a latency run has appended live records to the source topics, so that every
 * step drains exactly the same data.
 */
final class BenchInput {
    private static final Logger LOG = LoggerFactory.getLogger(BenchInput.class);
    private static final long SEED = 7;

    private final SluiceConfig config;
    private final long records;
    private final long startMs;
    private final Duration span;
    private Map<String, Long> perTopic = Map.of();
    private long loaded;

    /**
     * @param records how many records to generate
     * @param startMs the first event time
     * @param span    event times are spread over this
     */
    BenchInput(SluiceConfig config, long records, long startMs, Duration span) {
        this.config = config;
        this.records = records;
        this.startMs = startMs;
        this.span = span;
    }

    /** Creates the source topics and produces the input; returns how many records it holds. */
    long load(ClusterClients clients, BenchTopics topics) {
        List<String> inputs = TopologyNames.inputs(config);
        topics.create(inputs, config.topics().partitions());
        BenchDataGenerator generator =
                new BenchDataGenerator(config, records, startMs, span, SEED, new FeedFaults(true), null);
        long started = System.nanoTime();
        loaded = InputLoader.load(clients, generator);
        perTopic = generator.perTopic();
        LOG.info("loaded {} input records in {} ms", loaded, (System.nanoTime() - started) / 1_000_000);
        return loaded;
    }

    /** Replaces the source topics by fresh ones holding the same input, without what a latency run appended. */
    void reload(ClusterClients clients, BenchTopics topics) throws InterruptedException {
        topics.deleteAll(TopologyNames.inputs(config), null);
        load(clients, topics);
    }

    long loaded() {
        return loaded;
    }

    Map<String, Long> perTopic() {
        return perTopic;
    }

    long startMs() {
        return startMs;
    }
}
