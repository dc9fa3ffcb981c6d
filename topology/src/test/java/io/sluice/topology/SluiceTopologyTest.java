package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SluiceTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "unused:9092", application.id: topology-test }
            sources:
              - { name: shop, type: debezium, topics: [shop.public.users] }
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events], table: events }
            pii:
              key: { env: PII_KEY, id: "7" }
              rules:
                - { table: users, column: id, action: hash }
                - { table: users, column: email, action: hash }
                - { table: users, column: tier, action: keep }
                - { table: users, column: full_name, action: drop }
                - { source: mmp, column: event_name, action: keep }
                - { source: mmp, column: event_time, action: keep }
                - { source: mmp, column: customer_user_id, action: hash }
            lake: { uri: /tmp/unused }
            """;

    private TopologyHarness harness;
    private TopologyMetrics metrics;
    private TestInputTopic<byte[], byte[]> users;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> curatedUsers;
    private TestOutputTopic<byte[], byte[]> curatedEvents;
    private TestOutputTopic<byte[], byte[]> shopDeadLetters;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(CONFIG);
        metrics = harness.metrics;
        users = harness.input("shop.public.users");
        events = harness.input("mmp.appsflyer.events");
        curatedUsers = harness.output("curated.shop.users");
        curatedEvents = harness.output("curated.mmp.events");
        shopDeadLetters = harness.output("sluice.dlq");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void masksEveryColumnBeforeItReachesTheCuratedTopic() throws IOException {
        users.pipeInput(
                utf8("{\"id\":42}"),
                utf8(
                        "{\"op\":\"c\",\"source\":{\"ts_ms\":1763780000000},\"after\":"
                                + "{\"id\":42,\"email\":\"kim@example.com\",\"full_name\":\"Kim Minjun\",\"phone\":\"010-1234-5678\",\"tier\":\"gold\"}}"));

        TestRecord<byte[], byte[]> out = curatedUsers.readRecord();
        JsonNode value = harness.row(out.value());

        assertThat(value.get("__op").asText()).isEqualTo("c");
        assertThat(value.get("tier").asText()).isEqualTo("gold");
        assertThat(value.get("email").asText()).startsWith("k7:");
        assertThat(value.has("full_name")).as("dropped by rule").isFalse();
        assertThat(value.has("phone")).as("no rule: dropped").isFalse();
        String all = new String(out.value(), StandardCharsets.UTF_8) + new String(out.key(), StandardCharsets.UTF_8);
        assertThat(all).doesNotContain("kim@example.com", "Minjun", "010-1234-5678");
        assertThat(out.timestamp()).as("event time").isEqualTo(1763780000000L);
    }

    @Test
    void masksKeysWithTheSameRuleAsTheColumnSoTheyStillMatch() throws IOException {
        users.pipeInput(utf8("{\"id\":42}"), utf8("{\"op\":\"u\",\"source\":{\"ts_ms\":1},\"after\":{\"id\":42}}"));

        TestRecord<byte[], byte[]> out = curatedUsers.readRecord();

        assertThat(JSON.readTree(out.key()).get("id").asText())
                .isEqualTo(harness.row(out.value()).get("id").asText())
                .startsWith("k7:");
    }

    @Test
    void pseudonymsJoinAcrossSources() throws IOException {
        users.pipeInput(utf8("{\"id\":42}"), utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"id\":42}}"));
        events.pipeInput(
                (byte[]) null,
                utf8(
                        "{\"event_name\":\"af_purchase\",\"event_time\":\"2026-11-22 03:00:00.000\",\"customer_user_id\":\"42\"}"));

        String userId = harness.row(curatedUsers.readValue()).get("id").asText();
        JsonNode event = harness.row(curatedEvents.readRecord().value());

        assertThat(event.get("customer_user_id").asText()).isEqualTo(userId);
        assertThat(event.get("__event_time").asLong())
                .isEqualTo(Instant.parse("2026-11-22T03:00:00Z").toEpochMilli());
    }

    @Test
    void undecodableRecordGoesToTheDeadLetterTopicByReferenceAndIsCounted() throws IOException {
        users.pipeInput(utf8("{\"id\":1}"), utf8("{\"op\":\"c\",\"after\":{\"email\":\"kim@example.com\""));
        users.pipeInput(utf8("{\"id\":2}"), utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":{\"id\":2}}"));

        TestRecord<byte[], byte[]> entry = shopDeadLetters.readRecord();
        JsonNode letter = JSON.readTree(entry.value());

        assertThat(letter.get("topic").asText()).isEqualTo("shop.public.users");
        assertThat(letter.get("partition").asInt()).isZero();
        assertThat(letter.get("offset").asLong()).isZero();
        assertThat(letter.get("reason").asText()).isEqualTo("malformed-json");
        assertThat(letter.get("stage").asText()).isEqualTo("decode");
        assertThat(letter.get("error_class").asText()).isEqualTo("DecodeException");
        assertThat(entry.key()).isNull();
        assertThat(new String(entry.value(), StandardCharsets.UTF_8)).doesNotContain("kim@example.com");
        assertThat(metrics.total("sluice.dlq.records", "source", "shop", "stage", "decode", "reason", "malformed-json"))
                .isEqualTo(1.0);
        assertThat(curatedUsers.readValuesToList())
                .as("the record after it still flows")
                .hasSize(1);
    }

    @Test
    void sourceHeadersDoNotPassTheGate() {
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("customer-email", utf8("kim@example.com"));
        users.pipeInput(new TestRecord<>(
                utf8("{\"id\":1}"),
                utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1763780000000},\"after\":{\"id\":1}}"),
                headers,
                1_763_780_000_000L));

        assertThat(curatedUsers.readRecord().headers().toArray()).isEmpty();
    }

    @Test
    void tombstonesAreSkippedAndCounted() {
        users.pipeInput(utf8("{\"id\":1}"), (byte[]) null);

        assertThat(curatedUsers.isEmpty()).isTrue();
        assertThat(shopDeadLetters.isEmpty()).isTrue();
        assertThat(metrics.total("sluice.records.skipped", "reason", "tombstone"))
                .isEqualTo(1.0);
    }

    @Test
    void countsMaskingDecisionsByActionWithoutValues() {
        users.pipeInput(
                utf8("{\"id\":42}"),
                utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":1},\"after\":"
                        + "{\"id\":42,\"email\":\"a@b.c\",\"full_name\":\"X\",\"phone\":\"1\",\"tier\":\"gold\"}}"));

        assertThat(metrics.total("sluice.masking.columns", "action", "hash")).isEqualTo(2.0);
        assertThat(metrics.total("sluice.masking.columns", "action", "drop", "by", "rule"))
                .isEqualTo(1.0);
        assertThat(metrics.total("sluice.masking.columns", "action", "drop", "by", "unlisted"))
                .isEqualTo(1.0);
        assertThat(metrics.registry().getMeters())
                .allSatisfy(
                        meter -> assertThat(meter.getId().getTags().toString()).doesNotContain("a@b.c", "gold"));
    }

    @Test
    void namesEveryNodeAfterItsTopic() {
        String description = SluiceTopology.build(
                        harness.config,
                        harness.config.pii().toPolicy(Map.of("PII_KEY", "topology-test-key-0123456789-abcdef")),
                        metrics,
                        harness.registry)
                .describe()
                .toString();

        assertThat(description)
                .contains(
                        "source-shop.public.users",
                        "curate-shop.public.users",
                        "curated-shop.public.users",
                        "dlq-shop.public.users");
        assertThat(List.of(description.split("\n"))).noneMatch(line -> line.contains("KSTREAM-"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
