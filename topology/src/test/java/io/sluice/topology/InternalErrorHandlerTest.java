package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** A defect after the gate dead-letters the record that triggered it and the pipeline goes on. */
class InternalErrorHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "unused:9092", application.id: handler-test }
            sources:
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] }
            pii:
              rules:
                - { source: mmp, column: "*", action: keep }
            aggregates:
              - { name: hourly, source: mmp, window: { size: 1h, grace: 10m }, groupBy: [event_name], measures: [count] }
            lake: { uri: /tmp/unused }
            """;

    @Test
    void anExceptionInAStepAfterTheGateIsDeadLetteredAsAnInternalErrorAndTheNextRecordFlows() throws Exception {
        SluiceConfig config = ConfigLoader.parse(CONFIG);
        TopologyMetrics metrics = new TopologyMetrics(new SimpleMeterRegistry());
        SchemaRegistry registry = SchemaRegistry.connect(RegistrySettings.of("mock://handler-" + UUID.randomUUID()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        InternalErrorHandler.install(props, metrics, TopologyNames.deadLetter(config));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                SluiceTopology.build(config, config.pii().toPolicy(Map.of()), metrics, registry), props)) {
            TestInputTopic<byte[], byte[]> repartition = driver.createInputTopic(
                    TopologyNames.aggregateRepartition(config, "hourly"),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic(
                    "mmp.appsflyer.events", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> deadLetters =
                    driver.createOutputTopic("sluice.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> results =
                    driver.createOutputTopic("agg.hourly", new ByteArrayDeserializer(), new ByteArrayDeserializer());

            // Only Sluice writes its repartition topics; bytes that are not a curated row make the aggregate step
            // throw.
            repartition.pipeInput(utf8("[\"af_purchase\"]"), utf8("not avro: kim@example.com"));
            events.pipeInput(
                    null,
                    utf8(
                            "{\"appsflyer_id\":\"a\",\"event_name\":\"af_purchase\",\"event_time\":\"2026-11-22 03:10:00\"}"));
            driver.advanceWallClockTime(io.sluice.config.AggregateConfig.DEFAULT_PRE_AGGREGATE);
            events.pipeInput(
                    null,
                    utf8(
                            "{\"appsflyer_id\":\"b\",\"event_name\":\"af_purchase\",\"event_time\":\"2026-11-22 05:10:00\"}"));
            driver.advanceWallClockTime(io.sluice.config.AggregateConfig.DEFAULT_PRE_AGGREGATE);

            List<byte[]> letters = deadLetters.readValuesToList();
            assertThat(letters).hasSize(1);
            JsonNode letter = JSON.readTree(letters.get(0));
            assertThat(letter.get("reason").asText()).isEqualTo("internal-error");
            assertThat(letter.get("stage").asText()).isEqualTo("processing");
            assertThat(letter.get("source").asText()).isEqualTo("agg-hourly");
            assertThat(letter.get("topic").asText()).isEqualTo(TopologyNames.aggregateRepartition(config, "hourly"));
            assertThat(letter.toString()).doesNotContain("kim@example.com");
            assertThat(metrics.total("sluice.dlq.records", "reason", "internal-error"))
                    .isEqualTo(1.0);
            assertThat(results.readValuesToList())
                    .as("the window after it still closes")
                    .hasSize(1);
        }
    }

    @Test
    void aForgedOrTruncatedPartialAggregateIsDeadLetteredAndTheWindowStillCounts() throws Exception {
        SluiceConfig config = ConfigLoader.parse(CONFIG);
        TopologyMetrics metrics = new TopologyMetrics(new SimpleMeterRegistry());
        SchemaRegistry registry = SchemaRegistry.connect(RegistrySettings.of("mock://handler-" + UUID.randomUUID()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId() + "-partial");
        InternalErrorHandler.install(props, metrics, TopologyNames.deadLetter(config));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                SluiceTopology.build(config, config.pii().toPolicy(Map.of()), metrics, registry), props)) {
            TestInputTopic<byte[], byte[]> repartition = driver.createInputTopic(
                    TopologyNames.aggregateRepartition(config, "hourly"),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic(
                    "mmp.appsflyer.events", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> deadLetters =
                    driver.createOutputTopic("sluice.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> results =
                    driver.createOutputTopic("agg.hourly", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            RecordHeaders partial = new RecordHeaders();
            partial.add(PartialAggregateProcessorSupplier.PARTIAL_HEADER, new byte[] {1});
            long at = java.time.Instant.parse("2026-11-22T03:10:00Z").toEpochMilli();
            // A state in no known format, a value shorter than its window start, a state cut off in its middle.
            AggregateState state =
                    AggregateState.empty(config.aggregates().get(0).measures());
            byte[] whole = PartialAggregateProcessorSupplier.withState(at - at % 3_600_000, state.bytes());
            for (byte[] value : List.of(
                    utf8("\0\0\0\0\0\0\0\0garbage: kim@example.com"),
                    new byte[] {1, 2, 3},
                    java.util.Arrays.copyOf(whole, whole.length - 4))) {
                repartition.pipeInput(new TestRecord<>(utf8("[\"af_purchase\"]"), value, partial, at));
            }
            events.pipeInput(
                    null,
                    utf8(
                            "{\"appsflyer_id\":\"a\",\"event_name\":\"af_purchase\",\"event_time\":\"2026-11-22 03:10:00\"}"));
            driver.advanceWallClockTime(io.sluice.config.AggregateConfig.DEFAULT_PRE_AGGREGATE);
            events.pipeInput(
                    null,
                    utf8(
                            "{\"appsflyer_id\":\"b\",\"event_name\":\"af_purchase\",\"event_time\":\"2026-11-22 05:10:00\"}"));
            driver.advanceWallClockTime(io.sluice.config.AggregateConfig.DEFAULT_PRE_AGGREGATE);

            List<byte[]> letters = deadLetters.readValuesToList();
            assertThat(letters).hasSize(3).allSatisfy(letter -> {
                JsonNode entry = JSON.readTree(letter);
                assertThat(entry.get("reason").asText()).isEqualTo("internal-error");
                assertThat(entry.get("source").asText()).isEqualTo("agg-hourly");
                assertThat(entry.toString()).doesNotContain("kim@example.com");
            });
            assertThat(results.readValuesToList())
                    .as("the window closes with the one real row")
                    .singleElement()
                    .satisfies(v -> assertThat(new io.sluice.serdes.avro.CuratedAvroReader(registry)
                                    .readTree(v)
                                    .get("count")
                                    .asLong())
                            .isEqualTo(1));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
