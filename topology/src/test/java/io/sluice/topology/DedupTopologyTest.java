package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.metrics.SluiceMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedupTopologyTest {
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "unused:9092", application.id: dedup-test }
            sources:
              - { name: shop, type: debezium, topics: [shop.public.users] }
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] }
            pii:
              key: { env: PII_KEY }
              rules:
                - { table: users, column: id, action: hash }
                - { source: mmp, column: "*", action: keep }
                - { source: mmp, column: appsflyer_id, action: hash }
            dedup:
              - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 1h }
              - { source: shop, retention: 1h }
            lake: { uri: /tmp/unused }
            """;

    private final SluiceMetrics metrics = new SluiceMetrics(new SimpleMeterRegistry());
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> users;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> curatedUsers;
    private TestOutputTopic<byte[], byte[]> curatedEvents;

    @BeforeEach
    void start() {
        SluiceConfig config = ConfigLoader.parse(CONFIG);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedup-test");
        driver = new TopologyTestDriver(SluiceTopology.build(config,
                config.pii().toPolicy(Map.of("PII_KEY", "dedup-test-key-0123456789-0123456789")), metrics), props);
        ByteArraySerializer ser = new ByteArraySerializer();
        ByteArrayDeserializer de = new ByteArrayDeserializer();
        users = driver.createInputTopic("shop.public.users", ser, ser);
        events = driver.createInputTopic("mmp.appsflyer.events", ser, ser);
        curatedUsers = driver.createOutputTopic("curated.shop.users", de, de);
        curatedEvents = driver.createOutputTopic("curated.mmp.events", de, de);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void dropsARetriedPushWithinTheHorizonAndKeepsTheFirst() {
        events.pipeInput((byte[]) null, event("af-1", "af_purchase", "2026-11-22 03:00:00.000", "first"));
        events.pipeInput((byte[]) null, event("af-1", "af_purchase", "2026-11-22 03:00:00.000", "retry"));

        assertThat(curatedEvents.readValuesToList()).singleElement()
                .satisfies(v -> assertThat(new String(v, StandardCharsets.UTF_8)).contains("first"));
        assertThat(metrics.total("sluice.duplicates.dropped", "source", "mmp")).isEqualTo(1.0);
    }

    @Test
    void threeCopiesBecomeOne() {
        for (int i = 0; i < 3; i++) {
            events.pipeInput((byte[]) null, event("af-2", "af_app_opened", "2026-11-22 03:10:00.000", "copy" + i));
        }

        assertThat(curatedEvents.readValuesToList()).hasSize(1);
        assertThat(metrics.total("sluice.duplicates.dropped")).isEqualTo(2.0);
    }

    @Test
    void differentEventsOfTheSameUserAreNotDuplicates() {
        events.pipeInput((byte[]) null, event("af-3", "af_app_opened", "2026-11-22 03:00:00.000", "a"));
        events.pipeInput((byte[]) null, event("af-3", "af_app_opened", "2026-11-22 03:00:01.000", "b"));
        events.pipeInput((byte[]) null, event("af-3", "af_purchase", "2026-11-22 03:00:00.000", "c"));

        assertThat(curatedEvents.readValuesToList()).hasSize(3);
    }

    @Test
    void aCopyArrivingAfterTheHorizonIsKept() {
        events.pipeInput((byte[]) null, event("af-4", "af_purchase", "2026-11-22 03:00:00.000", "first"));
        // stream time moves two hours on, past the one-hour horizon
        events.pipeInput((byte[]) null, event("af-5", "af_app_opened", "2026-11-22 05:00:00.000", "later"));
        events.pipeInput((byte[]) null, event("af-4", "af_purchase", "2026-11-22 03:00:00.000", "late copy"));

        assertThat(curatedEvents.readValuesToList()).hasSize(3);
    }

    @Test
    void dropsAChangeRedeliveredAfterAConnectorRestartButNotTheNextChange() {
        byte[] key = utf8("{\"id\":7}");
        users.pipeInput(key, change("u", 24_023_512L, 1_763_780_000_000L, "gold"));
        users.pipeInput(key, change("u", 24_023_512L, 1_763_780_000_000L, "gold"));
        users.pipeInput(key, change("u", 24_023_900L, 1_763_780_001_000L, "silver"));

        assertThat(curatedUsers.readValuesToList()).hasSize(2);
        assertThat(metrics.total("sluice.duplicates.dropped", "source", "shop")).isEqualTo(1.0);
    }

    @Test
    void theInternalIdentityHeaderNeverLeaves() {
        events.pipeInput((byte[]) null, event("af-6", "af_purchase", "2026-11-22 03:00:00.000", "x"));

        assertThat(curatedEvents.readRecord().headers().toArray()).isEmpty();
    }

    private static byte[] event(String appsflyerId, String name, String eventTime, String campaign) {
        return utf8("{\"appsflyer_id\":\"" + appsflyerId + "\",\"event_name\":\"" + name + "\",\"event_time\":\"" + eventTime
                + "\",\"campaign\":\"" + campaign + "\"}");
    }

    private static byte[] change(String op, long lsn, long commitMs, String tier) {
        return utf8("{\"op\":\"" + op + "\",\"source\":{\"ts_ms\":" + commitMs + ",\"lsn\":" + lsn + ",\"txId\":9},"
                + "\"after\":{\"id\":7,\"tier\":\"" + tier + "\"}}");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }
}
