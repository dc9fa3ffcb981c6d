package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.AggregateConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AggregateTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "unused:9092", application.id: agg-test }
            sources:
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] }
            pii:
              key: { env: PII_KEY }
              rules:
                - { source: mmp, column: "*", action: keep }
                - { source: mmp, column: customer_user_id, action: hash }
            dedup:
              - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 24h }
            aggregates:
              - name: hourly
                source: mmp
                window: { size: 1h, WINDOW }
                groupBy: [event_name, platform]
                measures: [count, { distinct: customer_user_id }, { sum: event_revenue_usd }, { min: event_revenue_usd }, { max: event_revenue_usd }]
                emit: EMIT
            lake: { uri: /tmp/unused }
            """;

    private TopologyHarness harness;
    private TopologyMetrics metrics;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> results;
    private TestOutputTopic<byte[], byte[]> curated;
    private int sequence;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void emitsOneFinalResultPerGroupWhenTheWindowClosesIncludingOutOfOrderRecords() throws Exception {
        start("grace: 10m", "final");
        purchase("u1", "ios", "2026-11-22 03:10:00", "9.99");
        purchase("u2", "ios", "2026-11-22 03:50:00", "1.00");
        purchase("u1", "ios", "2026-11-22 03:20:00", "5.01"); // out of order, within the window
        purchase("u1", "ios", "2026-11-22 03:20:00", "5.01"); // a retried push: deduplicated first
        purchase("u3", "android", "2026-11-22 03:30:00", "2.00");
        assertThat(results.isEmpty()).as("nothing before the window closes").isTrue();

        purchase("u4", "ios", "2026-11-22 04:11:00", "3.00"); // stream time passes 04:00 + 10m grace

        List<JsonNode> emitted = read(results);
        assertThat(emitted).hasSize(2);
        JsonNode ios = emitted.stream()
                .filter(r -> r.get("platform").asText().equals("ios"))
                .findFirst()
                .orElseThrow();
        assertThat(ios.get("window_start").asText()).isEqualTo("2026-11-22T03:00:00Z");
        assertThat(ios.get("window_end").asText()).isEqualTo("2026-11-22T04:00:00Z");
        assertThat(ios.get("count").asLong()).isEqualTo(3);
        assertThat(ios.get("distinct_customer_user_id").asLong()).isEqualTo(2);
        assertThat(ios.get("sum_event_revenue_usd").decimalValue()).isEqualByComparingTo("16.00");
        assertThat(ios.get("min_event_revenue_usd").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(ios.get("max_event_revenue_usd").decimalValue()).isEqualByComparingTo("9.99");
    }

    @Test
    void aRecordAfterTheGracePeriodIsCountedAsLateAndLeftOutButStillCurated() throws Exception {
        start("grace: 10m", "final");
        purchase("u1", "ios", "2026-11-22 03:10:00", "1");
        purchase("u2", "ios", "2026-11-22 04:20:00", "1"); // closes 03:00-04:00
        purchase("u3", "ios", "2026-11-22 03:59:00", "1"); // too late for it

        assertThat(read(results))
                .singleElement()
                .satisfies(r -> assertThat(r.get("count").asLong()).isEqualTo(1));
        assertThat(metrics.total("sluice.late.records.dropped", "aggregate", "hourly"))
                .isEqualTo(1.0);
        assertThat(curated.readValuesToList()).hasSize(3);
    }

    @Test
    void earlyEmitSendsARunningResultOnEveryUpdate() throws Exception {
        start("grace: 10m", "early");
        purchase("u1", "ios", "2026-11-22 03:10:00", "1");
        purchase("u2", "ios", "2026-11-22 03:20:00", "1");

        assertThat(read(results)).extracting(r -> r.get("count").asLong()).containsExactly(1L, 2L);
    }

    @Test
    void hoppingWindowsCountARecordInEveryWindowThatContainsIt() throws Exception {
        start("advance: 30m, grace: 0m", "early");
        purchase("u1", "ios", "2026-11-22 03:40:00", "1");

        assertThat(read(results))
                .extracting(r -> r.get("window_start").asText())
                .containsExactlyInAnyOrder("2026-11-22T03:00:00Z", "2026-11-22T03:30:00Z");
    }

    @Test
    void aTextValueOfAbsurdScaleIsLeftOutOfASumInsteadOfGrowingIt() throws Exception {
        harness = new TopologyHarness(CONFIG.replace("WINDOW", "grace: 0m")
                .replace("EMIT", "early")
                .replace("{ sum: event_revenue_usd }", "{ sum: af_sub1 }"));
        events = harness.input("mmp.appsflyer.events");
        results = harness.output("agg.hourly");
        for (String score : List.of("2.5", "1e999999999", "1e-2000000000", "NaN", "-1.5")) {
            events.pipeInput(
                    (byte[]) null,
                    ("{\"appsflyer_id\":\"af-" + score + "\",\"event_name\":\"af_purchase\",\"platform\":\"ios\","
                                    + "\"event_time\":\"2026-11-22 03:10:00\",\"af_sub1\":\"" + score + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
            harness.passPreAggregation();
        }

        List<JsonNode> running = read(results);
        assertThat(running.get(running.size() - 1).get("sum_af_sub1").decimalValue())
                .isEqualByComparingTo("1.0");
        assertThat(running.get(running.size() - 1).get("count").asLong()).isEqualTo(5);
    }

    @Test
    void rowsOfOneIntervalTravelAsOnePartialPerGroupAndWindow() throws Exception {
        start("grace: 10m", "early");
        combined("u1", "ios", "2026-11-22 03:10:00", "1.50");
        combined("u2", "ios", "2026-11-22 03:20:00", "2.25");
        combined("u1", "ios", "2026-11-22 03:30:00", "0.25");
        combined("u3", "android", "2026-11-22 03:30:00", "4.00");
        combined("u3", "ios", "2026-11-22 04:05:00", "7.00");
        assertThat(results.isEmpty()).as("nothing until the interval passes").isTrue();
        assertThat(metrics.pendingPartials()).isEqualTo(3);

        harness.passPreAggregation();

        assertThat(metrics.pendingPartials()).isZero();
        List<JsonNode> emitted = read(results);
        assertThat(emitted)
                .as("one running result per group and window: one partial each")
                .hasSize(3);
        JsonNode ios3 = emitted.stream()
                .filter(r -> r.get("platform").asText().equals("ios")
                        && r.get("window_start").asText().equals("2026-11-22T03:00:00Z"))
                .findFirst()
                .orElseThrow();
        assertThat(ios3.get("count").asLong()).isEqualTo(3);
        assertThat(ios3.get("distinct_customer_user_id").asLong()).isEqualTo(2);
        assertThat(ios3.get("sum_event_revenue_usd").decimalValue()).isEqualByComparingTo("4.00");
        assertThat(ios3.get("min_event_revenue_usd").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(ios3.get("max_event_revenue_usd").decimalValue()).isEqualByComparingTo("2.25");

        combined("u4", "ios", "2026-11-22 03:40:00", "1.00");
        harness.passPreAggregation();
        assertThat(read(results))
                .as("a later partial merges into the window's state")
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.get("count").asLong()).isEqualTo(4);
                    assertThat(r.get("distinct_customer_user_id").asLong()).isEqualTo(3);
                    assertThat(r.get("sum_event_revenue_usd").decimalValue()).isEqualByComparingTo("5.00");
                });
    }

    @Test
    void withoutPreAggregationEveryRowTravelsAndUpdatesTheWindow() throws Exception {
        harness = new TopologyHarness(
                CONFIG.replace("WINDOW", "grace: 10m").replace("EMIT", "early\n    preAggregate: 0s"));
        metrics = harness.metrics;
        events = harness.input("mmp.appsflyer.events");
        results = harness.output("agg.hourly");
        combined("u1", "ios", "2026-11-22 03:10:00", "1");
        combined("u2", "ios", "2026-11-22 03:20:00", "1");
        combined("u3", "ios", "2026-11-22 03:30:00", "1");

        assertThat(read(results)).extracting(r -> r.get("count").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(metrics.pendingPartials()).isZero();
    }

    @Test
    void aRowLateInTheTasksStreamTimeIsLeftOutEvenWhenCombinedInOneIntervalWithTheRowThatClosedItsWindow()
            throws Exception {
        start("grace: 10m", "final");
        combined("u1", "ios", "2026-11-22 03:10:00", "1");
        combined("u2", "ios", "2026-11-22 04:20:00", "1"); // closes 03:00-04:00
        combined("u3", "ios", "2026-11-22 03:59:00", "1"); // too late for it, as it would be row by row
        harness.passPreAggregation();

        assertThat(read(results)).singleElement().satisfies(r -> {
            assertThat(r.get("window_start").asText()).isEqualTo("2026-11-22T03:00:00Z");
            assertThat(r.get("count").asLong()).isEqualTo(1);
        });
        assertThat(metrics.total("sluice.late.records.dropped", "aggregate", "hourly"))
                .isEqualTo(1.0);
    }

    @Test
    void aPartialForAClosedWindowCountsEachOfItsRowsAsLate() throws Exception {
        start("grace: 10m", "final");
        purchase("u1", "ios", "2026-11-22 03:10:00", "1");
        purchase("u2", "ios", "2026-11-22 04:20:00", "1"); // closes 03:00-04:00
        combined("u3", "ios", "2026-11-22 03:50:00", "1");
        combined("u4", "ios", "2026-11-22 03:55:00", "1");
        harness.passPreAggregation();

        assertThat(read(results))
                .singleElement()
                .satisfies(r -> assertThat(r.get("count").asLong()).isEqualTo(1));
        assertThat(metrics.total("sluice.late.records.dropped", "aggregate", "hourly"))
                .isEqualTo(2.0);
    }

    @Test
    void aWaitingPartialIsInTheChangelogAtEveryCommitThoughEncodedOnlyThen() throws Exception {
        start("grace: 10m", "final");
        TestOutputTopic<byte[], byte[]> changelog =
                harness.output("agg-test-" + TopologyNames.aggregatePartialStore("hourly", "dedup-mmp") + "-changelog");
        List<AggregateConfig.Measure> measures =
                harness.config.aggregates().get(0).measures();

        for (int i = 1; i <= 3; i++) {
            combined("u" + i, "ios", "2026-11-22 03:10:00", "1"); // the driver commits after each record
            var records = changelog.readRecordsToList();
            assertThat(records).as("row %d", i).isNotEmpty();
            byte[] partial = records.get(records.size() - 1).value();
            assertThat(AggregateState.read(measures, PartialAggregateProcessorSupplier.state(partial))
                            .rows())
                    .as("the partial a crash after commit %d would restore", i)
                    .isEqualTo(i);
        }
        harness.passPreAggregation();

        var records = changelog.readRecordsToList();
        assertThat(records.get(records.size() - 1).value()).as("sent: removed").isNull();
        assertThat(read(results)).isEmpty(); // the window is still open
    }

    private void start(String window, String emit) {
        harness = new TopologyHarness(CONFIG.replace("WINDOW", window).replace("EMIT", emit));
        metrics = harness.metrics;
        events = harness.input("mmp.appsflyer.events");
        results = harness.output("agg.hourly");
        curated = harness.output("curated.mmp.events");
    }

    /** A purchase, then the pre-aggregation interval passing: the row's partial travels on its own. */
    private void purchase(String user, String platform, String eventTime, String revenue) {
        combined(user, platform, eventTime, revenue);
        harness.passPreAggregation();
    }

    /** A purchase combined with the others of its group and window until the pre-aggregation interval passes. */
    private void combined(String user, String platform, String eventTime, String revenue) {
        String appsflyerId = "af-" + user + "-" + eventTime.hashCode();
        events.pipeInput(
                (byte[]) null,
                ("{\"appsflyer_id\":\"" + appsflyerId + "\",\"customer_user_id\":\"" + user
                                + "\",\"event_name\":\"af_purchase\",\"platform\":\"" + platform
                                + "\",\"event_time\":\"" + eventTime
                                + "\",\"event_revenue_usd\":\"" + revenue + "\",\"n\":" + (sequence++) + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private List<JsonNode> read(TestOutputTopic<byte[], byte[]> topic) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] value : topic.readValuesToList()) {
            out.add(harness.row(value));
        }
        return out;
    }
}
