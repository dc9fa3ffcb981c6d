package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Device and database clocks that are wrong: what the gate does with implausible event times, and what they cannot do. */
class EventTimeTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "unused:9092", application.id: event-time-test }
            sources:
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] BOUNDS }
              - { name: shop, type: debezium, topics: [shop.public.users] }
            pii:
              key: { env: PII_KEY }
              rules:
                - { source: mmp, column: "*", action: keep }
                - { source: shop, column: "*", action: keep }
            dedup:
              - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 2h }
            aggregates:
              - { name: hourly, source: mmp, window: { size: 1h, grace: 10m }, groupBy: [event_name], measures: [count] }
            lake: { uri: /tmp/unused }
            """;
    /** When the records arrive: the broker's clock, which the test drives. */
    private static final Instant ARRIVAL = Instant.parse("2026-11-22T03:30:00Z");

    private TopologyHarness harness;
    private TopologyMetrics metrics;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> curated;
    private TestOutputTopic<byte[], byte[]> results;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private int sequence;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void anEventFromAClockYearsAheadIsCuratedWithItsArrivalTimeAndTheOriginalKept() throws Exception {
        start("");
        event("9999-12-31 23:59:59.000", ARRIVAL);

        TestRecord<byte[], byte[]> record = curated.readRecord();
        JsonNode row = harness.row(record.value());
        assertThat(row.get("__event_time").asLong()).isEqualTo(ARRIVAL.toEpochMilli());
        assertThat(row.get("__event_time_original").asLong())
                .isEqualTo(Instant.parse("9999-12-31T23:59:59Z").toEpochMilli());
        assertThat(record.timestamp()).as("no broker rejects it").isEqualTo(ARRIVAL.toEpochMilli());
        assertThat(metrics.total(
                        "sluice.event.time.implausible",
                        "source",
                        "mmp",
                        "problem",
                        "event-time-in-future",
                        "outcome",
                        "arrival-time"))
                .isEqualTo(1.0);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void anEpochZeroPlaceholderIsTooOldAndTakesItsArrivalTime() throws Exception {
        start("");
        event("1970-01-01 00:00:00.000", ARRIVAL);

        JsonNode row = harness.row(curated.readValue());
        assertThat(row.get("__event_time").asLong()).isEqualTo(ARRIVAL.toEpochMilli());
        assertThat(row.get("__event_time_original").asLong()).isZero();
        assertThat(metrics.total("sluice.event.time.implausible", "problem", "event-time-too-old"))
                .isEqualTo(1.0);
    }

    @Test
    void epochMillisInTheYearTenThousandNeverBecomeAnEventTime() throws Exception {
        start("");
        events.pipeInput(
                null,
                utf8("{\"appsflyer_id\":\"af-y10k\",\"event_name\":\"e\",\"event_time\":253402300800000}"),
                ARRIVAL);

        assertThat(harness.row(curated.readValue()).get("__event_time").asLong())
                .isEqualTo(ARRIVAL.toEpochMilli());
    }

    @Test
    void aPlausibleEventTimeIsKeptAndCarriesNoOriginal() throws Exception {
        start("");
        event("2026-11-22 03:29:00.000", ARRIVAL);

        JsonNode row = harness.row(curated.readValue());
        assertThat(row.get("__event_time").asLong())
                .isEqualTo(Instant.parse("2026-11-22T03:29:00Z").toEpochMilli());
        assertThat(row.has("__event_time_original")).isFalse();
    }

    @Test
    void withDeadLetterAnImplausibleTimeGoesToTheDeadLetterTopicByReference() throws Exception {
        start(", eventTimeBounds: { maxAhead: 5m, notBefore: 2010-01-01, implausible: dead-letter }");
        event("2026-11-22 03:36:00.000", ARRIVAL);
        event("2009-12-31 23:59:59.000", ARRIVAL);
        event("2026-11-22 03:34:00.000", ARRIVAL);

        List<JsonNode> letters = new ArrayList<>();
        deadLetters.readValuesToList().forEach(v -> letters.add(json(v)));
        assertThat(letters)
                .extracting(l -> l.get("reason").asText())
                .containsExactly("event-time-in-future", "event-time-too-old");
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.get("stage").asText()).isEqualTo("event-time");
            assertThat(l.get("offset").isIntegralNumber()).isTrue();
        });
        assertThat(curated.readValuesToList())
                .as("within 5 minutes ahead: curated")
                .hasSize(1);
        assertThat(metrics.total("sluice.event.time.implausible", "outcome", "dead-lettered"))
                .isEqualTo(2.0);
    }

    @Test
    void aFutureDatedEventNeitherClosesWindowsEarlyNorMakesOnTimeEventsLate() throws Exception {
        start("");
        event("2026-11-22 03:10:00.000", ARRIVAL);
        event("2026-11-22 09:00:00.000", ARRIVAL); // a phone five and a half hours ahead
        event(
                "2026-11-22 03:40:00.000",
                ARRIVAL.plusSeconds(600)); // ahead of the first window's close only by that phone's clock

        assertThat(metrics.total("sluice.late.records.dropped", "aggregate", "hourly"))
                .isZero();
        assertThat(results.isEmpty())
                .as("03:00-04:00 is not closed by the phone")
                .isTrue();
        assertThat(curated.readValuesToList()).hasSize(3);

        event("2026-11-22 04:11:00.000", Instant.parse("2026-11-22T04:11:00Z"));
        List<JsonNode> emitted = new ArrayList<>();
        results.readValuesToList().forEach(v -> emitted.add(harness.row(v)));
        // 03:00-04:00 holds the first event and the re-timed one (arrived 03:30); 03:40 is in it too.
        assertThat(emitted)
                .singleElement()
                .satisfies(r -> assertThat(r.get("count").asLong()).isEqualTo(3));
    }

    @Test
    void anEventWithinTheSkewCountsInItsOwnWindowWithoutAdvancingStreamTime() throws Exception {
        start("");
        event("2026-11-22 03:59:00.000", ARRIVAL);
        event("2026-11-22 04:05:00.000", Instant.parse("2026-11-22T03:58:00Z")); // seven minutes ahead: plausible
        event("2026-11-22 03:50:00.000", Instant.parse("2026-11-22T04:05:00Z"));

        event("2026-11-22 05:20:00.000", Instant.parse("2026-11-22T05:20:00Z"));
        List<JsonNode> emitted = new ArrayList<>();
        results.readValuesToList().forEach(v -> emitted.add(harness.row(v)));
        assertThat(emitted)
                .extracting(r ->
                        r.get("window_start").asText() + "=" + r.get("count").asLong())
                .containsExactlyInAnyOrder("2026-11-22T03:00:00Z=2", "2026-11-22T04:00:00Z=1");
        assertThat(metrics.total("sluice.late.records.dropped", "aggregate", "hourly"))
                .isZero();
    }

    @Test
    void aChangeCommittedByADatabaseWithAWrongClockIsRetimedToo() throws Exception {
        start("");
        TestInputTopic<byte[], byte[]> users = harness.input("shop.public.users");
        TestOutputTopic<byte[], byte[]> curatedUsers = harness.output("curated.shop.users");
        users.pipeInput(
                utf8("{\"id\":1}"),
                utf8("{\"op\":\"c\",\"source\":{\"ts_ms\":" + Long.MAX_VALUE + ",\"lsn\":1},"
                        + "\"after\":{\"id\":1}}"),
                ARRIVAL);

        JsonNode row = harness.row(curatedUsers.readValue());
        assertThat(row.get("__event_time").asLong()).isEqualTo(ARRIVAL.toEpochMilli());
        assertThat(row.get("__event_time_original").asLong()).isEqualTo(Long.MAX_VALUE);
    }

    private void start(String bounds) {
        harness = new TopologyHarness(CONFIG.replace(" BOUNDS", bounds));
        metrics = harness.metrics;
        events = harness.input("mmp.appsflyer.events");
        curated = harness.output("curated.mmp.events");
        results = harness.output("agg.hourly");
        deadLetters = harness.output("sluice.dlq");
    }

    private void event(String eventTime, Instant arrival) {
        events.pipeInput(
                null,
                utf8("{\"appsflyer_id\":\"af-" + (sequence++) + "\",\"event_name\":\"af_purchase\",\"event_time\":\""
                        + eventTime + "\"}"),
                arrival);
        harness.passPreAggregation();
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
