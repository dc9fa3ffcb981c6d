package io.sluice.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.InProcessSchemaRegistry;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Sluice's real topology, built from a configuration text, in a {@link TopologyTestDriver}; the PII
 * key comes from {@code PII_KEY}, which the configurations here name.
 */
final class TopologyHarness implements AutoCloseable {
    final SluiceConfig config;
    final TopologyMetrics metrics = new TopologyMetrics(new SimpleMeterRegistry());
    TopologyTestDriver driver;
    final SchemaRegistry registry;
    private final CuratedAvroReader reader;
    private final Map<String, Integer> dedupPartitions;

    TopologyHarness(String yaml) {
        this(yaml, SchemaRegistry.connect(RegistrySettings.of("mock://topology-" + UUID.randomUUID())));
    }

    /** A harness whose topology registers and reads schemas with the given registry (a mock:// scope, or a wrapper of one). */
    TopologyHarness(String yaml, SchemaRegistry registry) {
        this(yaml, registry, Map.of());
    }

    /**
     * A harness whose dedup repartition topics have these partition counts, by source: with 1 (the driver's one
     * partition), records are deduplicated where they are read.
     */
    TopologyHarness(String yaml, Map<String, Integer> dedupPartitions) {
        this(
                yaml,
                SchemaRegistry.connect(RegistrySettings.of("mock://topology-" + UUID.randomUUID())),
                dedupPartitions);
    }

    private TopologyHarness(String yaml, SchemaRegistry registry, Map<String, Integer> dedupPartitions) {
        this.dedupPartitions = dedupPartitions;
        this.registry = registry;
        this.reader = new CuratedAvroReader(registry);
        config = ConfigLoader.parse(yaml);
        driver = newDriver();
    }

    /** The production processing exception handler is installed, so tests see what a failing step really does. */
    private TopologyTestDriver newDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        InternalErrorHandler.install(props, metrics, TopologyNames.deadLetter(config));
        return new TopologyTestDriver(
                SluiceTopology.build(
                        config,
                        config.pii().toPolicy(Map.of("PII_KEY", "topology-test-key-0123456789-abcdef")),
                        metrics,
                        registry,
                        dedupPartitions),
                props);
    }

    /**
     * The task starting again after it failed, as exactly-once restarts it: nothing since the last commit survives (here,
     * nothing at all: the tests restart a task that never committed) and the same registry is used. Topics handed out
     * before belong to the old driver: ask for them again.
     */
    void restart() {
        driver.close();
        driver = newDriver();
    }

    /** Wall-clock time passing one pre-aggregation interval: combined rows travel to their aggregate. */
    void passPreAggregation() {
        driver.advanceWallClockTime(io.sluice.config.AggregateConfig.DEFAULT_PRE_AGGREGATE);
    }

    TestInputTopic<byte[], byte[]> input(String topic) {
        return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
    }

    TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A curated or aggregate value (Avro, Confluent wire format) as JSON. */
    JsonNode row(byte[] value) {
        return reader.readTree(value);
    }

    @Override
    public void close() {
        driver.close();
        InProcessSchemaRegistry.dropScope(registry.settings().url().substring(SchemaRegistry.MOCK_PREFIX.length()));
    }
}
