package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
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

    private static final String KEYED_INPUT = CONFIG.replace("dedup-test", "dedup-keyed-test")
            .replace(
                    "retention: 1h }\n  - { source: shop",
                    "retention: 1h, inputKey: appsflyer_id }\n  - { source: shop");

    private TopologyHarness harness;
    private TopologyMetrics metrics;
    private TestInputTopic<byte[], byte[]> users;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<byte[], byte[]> curatedUsers;
    private TestOutputTopic<byte[], byte[]> curatedEvents;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(CONFIG);
        metrics = harness.metrics;
        users = harness.input("shop.public.users");
        events = harness.input("mmp.appsflyer.events");
        curatedUsers = harness.output("curated.shop.users");
        curatedEvents = harness.output("curated.mmp.events");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void dropsARetriedPushWithinTheHorizonAndKeepsTheFirst() {
        events.pipeInput((byte[]) null, event("af-1", "af_purchase", "2026-11-22 03:00:00.000", "first"));
        events.pipeInput((byte[]) null, event("af-1", "af_purchase", "2026-11-22 03:00:00.000", "retry"));

        assertThat(curatedEvents.readValuesToList())
                .singleElement()
                .satisfies(
                        v -> assertThat(new String(v, StandardCharsets.UTF_8)).contains("first"));
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
        Instant t = Instant.parse("2026-11-22T03:00:00Z");
        events.pipeInput(null, event("af-4", "af_purchase", "2026-11-22 03:00:00.000", "first"), t);
        harness.driver.advanceWallClockTime(
                Duration.ofMinutes(6)); // past the start-up wait: every input had time to be heard from
        // arrivals move two hours on, past the one-hour horizon
        events.pipeInput(null, event("af-5", "af_app_opened", "2026-11-22 05:00:00.000", "later"), t.plusSeconds(7200));
        others(t.plusSeconds(7200)); // a sweep step runs
        events.pipeInput(
                null, event("af-4", "af_purchase", "2026-11-22 03:00:00.000", "late copy"), t.plusSeconds(7201));

        assertThat(curatedEvents.readValuesToList()).hasSize(3 + DedupProcessorSupplier.SWEEP_EVERY);
        assertThat(metrics.total("sluice.dedup.identities.expired", "source", "mmp"))
                .isEqualTo(1.0);
    }

    @Test
    void aRetryOfAnEventThreeHoursLateInEventTimeIsDroppedByItsArrival() {
        // an offline purchase: its event time is three hours before it arrives, the horizon one hour
        Instant arrival = Instant.parse("2026-11-22T06:00:00Z");
        events.pipeInput(
                null, event("af-7", "af_app_opened", "2026-11-22 05:59:00.000", "on time"), arrival.minusSeconds(60));
        events.pipeInput(null, event("af-8", "af_purchase", "2026-11-22 03:00:00.000", "offline"), arrival);
        events.pipeInput(
                null, event("af-8", "af_purchase", "2026-11-22 03:00:00.000", "retry"), arrival.plusSeconds(5));

        assertThat(curatedEvents.readValuesToList()).hasSize(2);
        assertThat(metrics.total("sluice.duplicates.dropped", "source", "mmp")).isEqualTo(1.0);
    }

    @Test
    void anEventFromAClockYearsAheadDoesNotMakeDedupForgetTheOthers() {
        Instant t = Instant.parse("2026-11-22T03:00:00Z");
        events.pipeInput(null, event("af-9", "af_purchase", "2026-11-22 02:59:00.000", "first"), t);
        events.pipeInput(null, event("af-10", "af_purchase", "9999-12-31 23:59:59.000", "phone"), t.plusSeconds(1));
        events.pipeInput(null, event("af-9", "af_purchase", "2026-11-22 02:59:00.000", "retry"), t.plusSeconds(5));

        assertThat(curatedEvents.readValuesToList()).hasSize(2);
        assertThat(metrics.total("sluice.dedup.identities.expired")).isZero();
    }

    @Test
    void nothingIsForgottenUntilEveryInputHadTimeToBeHeardFrom() {
        Instant t = Instant.parse("2026-11-22T03:00:00Z");
        events.pipeInput(null, event("af-12", "af_purchase", "2026-11-22 03:00:00.000", "first"), t);
        events.pipeInput(
                null, event("af-13", "af_app_opened", "2026-11-22 05:00:00.000", "later"), t.plusSeconds(7200));
        others(t.plusSeconds(7201)); // a sweep step runs, before the start-up wait is over

        assertThat(metrics.total("sluice.dedup.identities.expired")).isZero();
        harness.driver.advanceWallClockTime(Duration.ofMinutes(6));
        others(t.plusSeconds(7300));
        assertThat(metrics.total("sluice.dedup.identities.expired"))
                .as("once it is over, the next sweep step forgets af-12")
                .isEqualTo(1.0);
    }

    @Test
    void anIdentityOutlivesItsPartitionRacingHoursAheadForOneIdleTimeout() {
        // Read where it sits, a partition drains hours of backlog in a second, before this task has heard of a slower
        // partition whose copies travel a commit behind: identities stay at least one idle timeout of the clock.
        Instant t = Instant.parse("2026-11-22T03:00:00Z");
        harness.driver.advanceWallClockTime(Duration.ofMinutes(6)); // long after the task started
        events.pipeInput(null, event("af-30", "af_purchase", "2026-11-22 03:00:00.000", "first"), t);
        for (int hour = 1; hour <= 4; hour++) {
            others(t.plus(Duration.ofHours(hour))); // sweep steps with the watermark hours ahead
        }
        events.pipeInput(null, event("af-30", "af_purchase", "2026-11-22 03:00:00.000", "retry"), t.plusSeconds(3));

        assertThat(metrics.total("sluice.duplicates.dropped", "source", "mmp")).isEqualTo(1.0);
        assertThat(metrics.total("sluice.dedup.identities.expired")).isZero();

        harness.driver.advanceWallClockTime(Duration.ofMinutes(6));
        for (int step = 0; step < 4; step++) {
            others(t.plus(Duration.ofHours(5)).plusSeconds(step)); // sweep steps enough to pass the whole store
        }
        assertThat(metrics.total("sluice.dedup.identities.expired"))
                .as("an idle timeout later, what is a horizon behind goes")
                .isPositive();
    }

    @Test
    void aRetryThatArrivesBeforeItsOriginalIsTheOneKept() {
        Instant t = Instant.parse("2026-11-22T03:00:00Z");
        events.pipeInput(null, event("af-11", "af_purchase", "2026-11-22 02:59:00.000", "retry"), t.plusSeconds(5));
        events.pipeInput(null, event("af-11", "af_purchase", "2026-11-22 02:59:00.000", "original"), t);

        assertThat(curatedEvents.readValuesToList())
                .singleElement()
                .satisfies(
                        v -> assertThat(new String(v, StandardCharsets.UTF_8)).contains("retry"));
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

    @Test
    void anInputKeyedByTheEventIdIsDeduplicatedWhereItIsReadWithTheSameCuratedKeys() {
        try (TopologyHarness keyed = new TopologyHarness(KEYED_INPUT)) {
            assertThat(keyed.config.dedupFor("mmp").inputKey()).isEqualTo("appsflyer_id");
            assertThat(TopologyNames.internal(keyed.config))
                    .as("no repartition topic")
                    .isEmpty();
            assertThat(keyed.driver.producedTopicNames()).doesNotContain("dedup-keyed-test-dedup-mmp-repartition");
            TestInputTopic<byte[], byte[]> keyedEvents = keyed.input("mmp.appsflyer.events");
            TestOutputTopic<byte[], byte[]> keyedCurated = keyed.output("curated.mmp.events");
            for (int i = 0; i < 3; i++) {
                keyedEvents.pipeInput(utf8("af-7"), event("af-7", "af_purchase", "2026-11-22 03:00:00.000", "c" + i));
            }
            keyedEvents.pipeInput(utf8("af-8"), event("af-8", "af_purchase", "2026-11-22 03:00:00.000", "other"));
            events.pipeInput((byte[]) null, event("af-7", "af_purchase", "2026-11-22 03:00:00.000", "c0"));

            var curated = keyedCurated.readRecordsToList();
            assertThat(curated).hasSize(2);
            assertThat(keyed.metrics.total("sluice.duplicates.dropped", "source", "mmp"))
                    .isEqualTo(2.0);
            assertThat(curated.get(0).key())
                    .as("curated records keyed by the identity, as after a repartition")
                    .isEqualTo(curatedEvents.readRecord().key());
            assertThat(keyed.metrics.total("sluice.dedup.input.key.mismatches")).isZero();
        }
    }

    @Test
    void recordsAlreadyInTheirIdentitysPartitionAreDeduplicatedWithoutTheRepartitionTopic() {
        events.pipeInput((byte[]) null, event("af-20", "af_purchase", "2026-11-22 03:00:00.000", "routed"));
        byte[] routedKey = curatedEvents.readRecord().key();
        assertThat(metrics.total("sluice.dedup.routes", "path", "repartition"))
                .as("partition count unknown: every record travels")
                .isEqualTo(1.0);
        assertThat(harness.driver.producedTopicNames()).contains("dedup-test-dedup-mmp-repartition");

        // The driver has one partition, so with the count known every record is already where its identity goes.
        try (TopologyHarness local =
                new TopologyHarness(CONFIG.replace("dedup-test", "dedup-local-test"), Map.of("mmp", 1))) {
            TestInputTopic<byte[], byte[]> localEvents = local.input("mmp.appsflyer.events");
            for (int i = 0; i < 3; i++) {
                localEvents.pipeInput(utf8("af-20"), event("af-20", "af_purchase", "2026-11-22 03:00:00.000", "c" + i));
            }
            localEvents.pipeInput(utf8("af-21"), event("af-21", "af_purchase", "2026-11-22 03:00:00.000", "other"));

            var curated = local.output("curated.mmp.events").readRecordsToList();
            assertThat(curated).hasSize(2);
            assertThat(curated.get(0).key())
                    .as("curated records keyed by the identity, as after the trip")
                    .isEqualTo(routedKey);
            assertThat(curated.get(0).headers().toArray()).isEmpty();
            assertThat(local.metrics.total("sluice.duplicates.dropped", "source", "mmp"))
                    .isEqualTo(2.0);
            assertThat(local.metrics.total("sluice.dedup.routes", "path", "local"))
                    .isEqualTo(4.0);
            assertThat(local.metrics.total("sluice.dedup.routes", "path", "repartition"))
                    .isZero();
            assertThat(local.driver.producedTopicNames()).doesNotContain("dedup-local-test-dedup-mmp-repartition");
        }
    }

    @Test
    void aRecordNotKeyedAsDeclaredIsCountedAndStillCurated() {
        try (TopologyHarness keyed = new TopologyHarness(KEYED_INPUT)) {
            TestInputTopic<byte[], byte[]> keyedEvents = keyed.input("mmp.appsflyer.events");
            keyedEvents.pipeInput((byte[]) null, event("af-9", "af_purchase", "2026-11-22 03:00:00.000", "a"));
            keyedEvents.pipeInput(utf8("user-1"), event("af-10", "af_purchase", "2026-11-22 03:00:00.000", "b"));

            assertThat(keyed.output("curated.mmp.events").readValuesToList()).hasSize(2);
            assertThat(keyed.metrics.total("sluice.dedup.input.key.mismatches", "source", "mmp"))
                    .isEqualTo(2.0);
        }
    }

    @Test
    void expiryIndexEntriesOfEarlierVersionsAreDeletedAsTheSweepMeetsThem() {
        KeyValueStore<Bytes, byte[]> store = harness.driver.getKeyValueStore(TopologyNames.dedupStore("mmp"));
        Bytes legacy = Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES + 4)
                .put((byte) 't')
                .putLong(42)
                .put(utf8("af-0"))
                .array());
        store.put(legacy, new byte[0]);
        harness.driver.advanceWallClockTime(Duration.ofMinutes(6));

        others(Instant.parse("2026-11-22T03:00:00Z"));

        assertThat(store.get(legacy)).isNull();
        assertThat(metrics.total("sluice.dedup.identities.expired")).isZero();
    }

    /** Enough distinct events, arriving at {@code arrival}, for the dedup step to take one sweep step. */
    private void others(Instant arrival) {
        for (int i = 0; i < DedupProcessorSupplier.SWEEP_EVERY; i++) {
            events.pipeInput(
                    null,
                    event(
                            "af-other-" + arrival.getEpochSecond() + "-" + i,
                            "af_app_opened",
                            "2026-11-22 05:00:00.000",
                            "o"),
                    arrival);
        }
    }

    private static byte[] event(String appsflyerId, String name, String eventTime, String campaign) {
        return utf8("{\"appsflyer_id\":\"" + appsflyerId + "\",\"event_name\":\"" + name + "\",\"event_time\":\""
                + eventTime + "\",\"campaign\":\"" + campaign + "\"}");
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
