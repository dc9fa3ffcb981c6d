package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.serdes.registry.RegistryOutage;
import io.sluice.serdes.registry.RegistryRetry;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.RegistryStates;
import io.sluice.serdes.registry.RetryingSchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A schema registry that is down is not the record's fault: every step that needs it (the gate's first row after a
 * start, dimension history, aggregates) retries within the task, then fails the task without writing or dead-lettering
 * anything, and the same input is processed in full once the task starts again with the registry back.
 */
class RegistryOutageTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RegistryRetry QUICK = new RegistryRetry(3, Duration.ofMillis(1));
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "unused:9092", application.id: outage-test }
            sources:
              - { name: shop, type: debezium, topics: [shop.public.users] }
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events], table: events }
            pii:
              key: { env: PII_KEY }
              rules:
                - { table: users, column: id, action: keep }
                - { table: users, column: email, action: hash }
                - { table: users, column: city, action: keep }
                - { source: mmp, column: "*", action: keep }
            dimensions:
              - { source: shop, table: users, key: [id], track: [city] }
            aggregates:
              - { name: hourly, source: mmp, window: { size: 1h, grace: 0m }, groupBy: [event_name], measures: [count] }
            lake: { uri: /tmp/unused }
            """;

    private final RegistryOutage registry =
            new RegistryOutage(SchemaRegistry.connect(RegistrySettings.of("mock://outage-" + UUID.randomUUID())));
    private final RegistryStates states = new RegistryStates();
    private final TopologyHarness harness =
            new TopologyHarness(CONFIG, RetryingSchemaRegistry.wrap(registry, QUICK, states));

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aRegistryDownAtTheFirstRowAfterAStartFailsTheTaskAndTheRowIsCuratedOnceItIsBack() throws Exception {
        registry.down("");

        assertFailsTransiently(() -> users().pipeInput(key(1), change(1, "Seoul", "10:00:00")));

        assertThat(registry.failedCalls())
                .as("tried again within the task before failing it")
                .isEqualTo(QUICK.attempts());
        assertNothingWrittenOrDeadLettered("curated.shop.users");
        assertThat(states.isDown()).as("the registry reported down").isTrue();

        registry.up();
        harness.restart();
        users().pipeInput(key(1), change(1, "Seoul", "10:00:00"));

        List<byte[]> curated = harness.output("curated.shop.users").readValuesToList();
        assertThat(curated).hasSize(1);
        assertThat(harness.row(curated.get(0)).get("email").asText()).startsWith("k");
        assertThat(harness.output("sluice.dlq").isEmpty()).isTrue();
        assertThat(states.isDown()).isFalse();
    }

    @Test
    void aRegistryBackWithinTheRetriesCostsTheRecordNothing() throws Exception {
        registry.blip(2);

        users().pipeInput(key(1), change(1, "Seoul", "10:00:00"));

        assertThat(harness.output("curated.shop.users").readValuesToList()).hasSize(1);
        assertThat(harness.output("sluice.dlq").isEmpty()).isTrue();
        assertThat(states.isDown()).isFalse();
    }

    @Test
    void aSchemaTheRegistryRefusesIsDeadLetteredAsRejectedAndTheNextRowFlows() throws Exception {
        registry.refusing("curated.shop.users");

        users().pipeInput(key(1), change(1, "Seoul", "10:00:00"));

        JsonNode letter = JSON.readTree(harness.output("sluice.dlq").readValue());
        assertThat(letter.get("stage").asText()).isEqualTo("encode");
        assertThat(letter.get("reason").asText()).isEqualTo("registry-rejected");
        assertThat(harness.metrics.total("sluice.dlq.records", "reason", "registry-rejected"))
                .isEqualTo(1.0);
        assertThat(letter.toString()).doesNotContain("example.com");

        registry.up();
        users().pipeInput(key(2), change(2, "Busan", "10:00:00"));
        assertThat(harness.output("curated.shop.users").readValuesToList()).hasSize(1);
    }

    @Test
    void aRegistryDownForDimensionHistoryFailsTheTaskAndTheChangeIsAppliedOnceItIsBack() throws Exception {
        registry.down("dim.users.");

        assertFailsTransiently(() -> users().pipeInput(key(1), change(1, "Seoul", "10:00:00")));

        assertNothingWrittenOrDeadLettered("dim.users.history");
        assertThat(harness.output("dim.users.current").isEmpty()).isTrue();
        assertThat(harness.metrics.total("sluice.dimension.events", "event", "rejected"))
                .isZero();

        registry.up();
        harness.restart();
        users().pipeInput(key(1), change(1, "Seoul", "10:00:00"));

        List<byte[]> history = harness.output("dim.users.history").readValuesToList();
        assertThat(history).hasSize(1);
        assertThat(harness.row(history.get(0)).get("city").asText()).isEqualTo("Seoul");
        assertThat(harness.output("dim.users.current").readValuesToList()).hasSize(1);
    }

    @Test
    void aRegistryDownWhenAWindowClosesFailsTheTaskAndTheWindowIsEmittedOnceItIsBack() throws Exception {
        registry.down("agg.hourly");

        events().pipeInput((byte[]) null, event("a", "2026-11-22 03:10:00"));
        harness.passPreAggregation();
        assertFailsTransiently(() -> {
            events().pipeInput((byte[]) null, event("b", "2026-11-22 04:10:00"));
            harness.passPreAggregation();
        });

        assertNothingWrittenOrDeadLettered("agg.hourly");

        registry.up();
        harness.restart();
        events().pipeInput((byte[]) null, event("a", "2026-11-22 03:10:00"));
        harness.passPreAggregation();
        events().pipeInput((byte[]) null, event("b", "2026-11-22 04:10:00"));
        harness.passPreAggregation();

        List<byte[]> results = harness.output("agg.hourly").readValuesToList();
        assertThat(results).hasSize(1);
        JsonNode window = harness.row(results.get(0));
        assertThat(window.get("window_start").asText()).isEqualTo("2026-11-22T03:00:00Z");
        assertThat(window.get("count").asLong()).isEqualTo(1);
    }

    private void assertFailsTransiently(org.assertj.core.api.ThrowableAssert.ThrowingCallable piping) {
        assertThatThrownBy(piping)
                .satisfies(
                        e -> assertThat(TransientFailure.dependencyOf(e)).isEqualTo(TransientFailure.SCHEMA_REGISTRY));
    }

    private void assertNothingWrittenOrDeadLettered(String topic) {
        assertThat(harness.output(topic).isEmpty())
                .as("nothing written to " + topic)
                .isTrue();
        assertThat(harness.output("sluice.dlq").isEmpty())
                .as("never dead-lettered")
                .isTrue();
        assertThat(harness.metrics.total("sluice.dlq.records")).isZero();
    }

    private TestInputTopic<byte[], byte[]> users() {
        return harness.input("shop.public.users");
    }

    private TestInputTopic<byte[], byte[]> events() {
        return harness.input("mmp.appsflyer.events");
    }

    private static byte[] key(int id) {
        return utf8("{\"id\":" + id + "}");
    }

    private static byte[] change(int id, String city, String time) {
        return utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":"
                + java.time.Instant.parse("2026-11-22T" + time + "Z").toEpochMilli() + ",\"lsn\":" + id
                + "},\"after\":{\"id\":" + id + ",\"email\":\"user" + id + "@example.com\",\"city\":\"" + city
                + "\"}}");
    }

    private static byte[] event(String id, String time) {
        return utf8("{\"appsflyer_id\":\"" + id + "\",\"event_name\":\"af_purchase\",\"event_time\":\"" + time + "\"}");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
