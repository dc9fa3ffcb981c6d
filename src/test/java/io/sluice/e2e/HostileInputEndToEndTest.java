package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Meter;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.replay.EmbeddedRun;
import io.sluice.replay.InputRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordinary MMP events and CDC changes with every class of hostile input mixed in — clocks years
 * ahead and at epoch 0, epoch milliseconds in the year 10000, gigantic exponents, personal data in
 * nested JSON, in JSON numbers, in full-width digits, in field names, Korean RRNs without a check
 * digit, 5,000-deep nesting, an oversized record, a legal {@code time '24:00:00'} — run through the
 * real broker until idle, compacted, and every byte Sluice leaves behind scanned for the planted
 * values: topics (internal ones included), state, both lake tiers (decoded), logs and metrics.
 */
class HostileInputEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "replaced:9092", application.id: hostile }
            sources:
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events], maxRecordSize: 64KB }
              - { name: shop, type: debezium, topics: [shop.public.visits] }
            pii:
              key: { file: "%s", id: "1" }
              unlisted: keep
              detectors: [email, phone, kr-rrn, card, ip]
              rules:
                - { source: mmp, column: customer_user_id, action: hash }
                - { source: mmp, column: event_value.email, action: hash }
                - { source: mmp, column: "event_value.*", action: keep }
                - { table: visits, column: id, action: keep }
            dedup:
              - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 2h }
            aggregates:
              - { name: hourly, source: mmp, window: { size: 1h, grace: 10m }, groupBy: [event_name], measures: [count] }
            lake: { uri: /replaced }
            """;
    private static final Instant START = Instant.parse("2025-11-21T09:00:00Z");
    private static final int ORDINARY = 60;

    // Planted personal data, each unique so that any trace of it can be found.
    private static final String NESTED_EMAIL = "canary.nested.q81x@example.org";
    private static final String ARRAY_CARD = "5425233430109903";
    private static final String NUMBER_CARD = "4263982640269299";
    private static final String NUMBER_PHONE = "821073914628";
    private static final String MC2_CARD = "2223000048410010";
    private static final String RRN_NO_CHECK = "201225-4123450";
    private static final String RRN_FULL_WIDTH = "９０１２２５－３０２３４５６";
    private static final String RRN_FULL_WIDTH_ASCII = "901225-3023456";
    private static final String FIELD_NAME_EMAIL = "canary.field.k2p9@example.org";
    private static final String DEEP_EMAIL = "canary.deep.7r3m@example.org";
    private static final String EXPONENT_EMAIL = "canary.exponent.v5n2@example.org";
    private static final String LARGE_EMAIL = "canary.large.h4c8@example.org";
    private static final String ZERO_WIDTH_EMAIL = "canary.zw\u200b.b6t1@example.org";
    private static final List<String> CANARIES = List.of(
            NESTED_EMAIL,
            ARRAY_CARD,
            NUMBER_CARD,
            NUMBER_PHONE,
            MC2_CARD,
            RRN_NO_CHECK,
            RRN_NO_CHECK.replace("-", ""),
            RRN_FULL_WIDTH,
            RRN_FULL_WIDTH_ASCII,
            RRN_FULL_WIDTH_ASCII.replace("-", ""),
            FIELD_NAME_EMAIL,
            DEEP_EMAIL,
            EXPONENT_EMAIL,
            LARGE_EMAIL,
            ZERO_WIDTH_EMAIL,
            ZERO_WIDTH_EMAIL.replace("\u200b", ""),
            "5425 2334 3010 9903",
            "2223 0000 4841 0010");

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static ListAppender<ILoggingEvent> logs;
    static Path lake;
    static Path out;
    static Path state;
    static EmbeddedRun.Result result;
    static Map<String, String> tier0;
    static List<InputRecord> inputs;
    static int hostile;

    @BeforeAll
    static void run() throws Exception {
        logs = LeftBehind.captureLogs();
        Path key = dir.resolve("key");
        Files.writeString(key, "hostile-test-secret-0123456789-abcdefgh");
        SluiceConfig config = ConfigLoader.parse(CONFIG.formatted(key));
        lake = dir.resolve("lake");
        out = dir.resolve("out");
        state = dir.resolve("state");
        inputs = inputs();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        try (EmbeddedRun run = new EmbeddedRun(config, Map.of(), Duration.ofMinutes(2))) {
            EmbeddedRun.Processed processed = run.process(kafka, inputs, lake, state);
            tier0 = Tier0Objects.contents(lake);
            result = run.compactAndDump(processed, out);
        }
    }

    @AfterAll
    static void stop() {
        LeftBehind.releaseLogs(logs);
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theInputReallyCarriesEveryCanary() {
        String all = String.join("\n", LeftBehind.topicText(kafka.bootstrapServers(), Set.of("mmp.appsflyer.events")));
        for (String canary : List.of(
                NESTED_EMAIL,
                ARRAY_CARD,
                NUMBER_CARD,
                NUMBER_PHONE,
                "2223 0000 4841 0010",
                RRN_NO_CHECK,
                RRN_FULL_WIDTH,
                FIELD_NAME_EMAIL,
                EXPONENT_EMAIL,
                LARGE_EMAIL,
                ZERO_WIDTH_EMAIL)) {
            assertThat(all).contains(canary);
        }
    }

    @Test
    void everyOrdinaryEventIsCuratedOnceAndEveryHostileRecordIsCuratedOrDeadLettered() throws Exception {
        List<JsonNode> curated = rows("curated.mmp.events");
        List<String> ordinary = curated.stream()
                .map(r -> r.get("appsflyer_id").asText())
                .filter(id -> id.startsWith("ordinary-"))
                .toList();
        assertThat(ordinary).hasSize(ORDINARY).doesNotHaveDuplicates();
        long hostileCurated = curated.size() - ORDINARY;
        long deadLettered = rows("sluice.dlq").size();
        assertThat(hostileCurated + deadLettered)
                .as("every hostile record accounted for")
                .isEqualTo(hostile);
        assertThat(rows("curated.shop.visits")).hasSize(2);
    }

    @Test
    void everyDeadLetterIsByReferenceWithAReasonThatNamesItsCause() throws Exception {
        List<JsonNode> letters = rows("sluice.dlq");
        assertThat(letters)
                .extracting(l -> l.get("reason").asText())
                .contains("number-out-of-range", "record-too-large")
                .doesNotContain("internal-error", "decode-failure", "mask-failure");
        assertThat(letters)
                .allSatisfy(l -> assertThat(l.get("offset").isIntegralNumber()).isTrue());
    }

    @Test
    void everyOrdinaryEventIsCompactedOnce() throws Exception {
        DuckDbLake duck = new DuckDbLake(lake);
        List<List<Object>> counts = duck.query("SELECT count(*), count(DISTINCT appsflyer_id) FROM "
                + duck.table("mmp_events") + " WHERE appsflyer_id LIKE 'ordinary-%'");
        assertThat(counts.get(0)).containsExactly((long) ORDINARY, (long) ORDINARY);
        for (String table : List.of("mmp_events", "shop_visits")) {
            List<List<Object>> years = duck.query("SELECT DISTINCT year FROM " + duck.table(table));
            assertThat(years)
                    .as(table)
                    .isNotEmpty()
                    .allSatisfy(y -> assertThat((Integer) y.get(0)).isEqualTo(2025));
        }
    }

    @Test
    void clocksYearsAheadOrAtEpochZeroAreRetimedAndKeepTheirOriginal() throws Exception {
        List<JsonNode> retimed = rows("curated.mmp.events").stream()
                .filter(r -> r.hasNonNull("__event_time_original"))
                .toList();
        assertThat(retimed)
                .extracting(r -> r.get("appsflyer_id").asText())
                .containsExactlyInAnyOrder("clock-9999", "clock-epoch0", "clock-y10k");
        assertThat(retimed)
                .allSatisfy(r -> assertThat(r.get("__event_time").asLong())
                        .isBetween(
                                START.toEpochMilli(),
                                START.plus(Duration.ofHours(4)).toEpochMilli()));
    }

    @Test
    void onTimeEventsAfterTheFutureDatedOneAreNeitherLateNorLostToDedup() {
        assertThat(result.metrics().total("sluice.late.records.dropped")).isZero();
        assertThat(result.metrics().total("sluice.duplicates.dropped", "source", "mmp"))
                .isEqualTo(ORDINARY / 3);
    }

    @Test
    void noTopicSluiceWritesHoldsACanary() {
        Set<String> written =
                LeftBehind.topicsExcept(kafka.bootstrapServers(), Set.of("mmp.appsflyer.events", "shop.public.visits"));
        assertThat(written).contains("curated.mmp.events", "sluice.dlq", "hostile-dedup-mmp-repartition");
        assertNoCanary("topics " + written, String.join("\n", LeftBehind.topicText(kafka.bootstrapServers(), written)));
    }

    @Test
    void noFileStateOrLakeHoldsACanary() throws Exception {
        for (Path root : List.of(lake, out, state)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertNoCanary(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(tier0).isNotEmpty();
        tier0.forEach(HostileInputEndToEndTest::assertNoCanary);
        DuckDbLake duck = new DuckDbLake(lake);
        assertNoCanary(
                "parquet",
                duck.query("SELECT * FROM " + duck.table("mmp_events")).toString());
    }

    @Test
    void noLogLineOrMetricHoldsACanary() {
        String all = LeftBehind.logText(logs);
        assertThat(all).contains("dead-lettered");
        assertNoCanary("log output", all);
        StringBuilder meters = new StringBuilder();
        for (Meter meter : result.metrics().registry().getMeters()) {
            meters.append(meter.getId()).append('\n');
        }
        assertNoCanary("metrics", meters.toString());
    }

    @Test
    void theDetectorsFoundWhatWasPlanted() {
        for (String detector : List.of("email", "card", "phone", "kr-rrn")) {
            assertThat(result.metrics().total("sluice.pii.detections", "detector", detector))
                    .as(detector)
                    .isPositive();
        }
    }

    private static void assertNoCanary(String where, String content) {
        List<String> found = CANARIES.stream().filter(content::contains).toList();
        assertThat(found).as("canaries found in " + where).isEmpty();
    }

    private static List<JsonNode> rows(String topic) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(topic + ".jsonl"))) {
            rows.add(JSON.readTree(line).get("value"));
        }
        return rows;
    }

    /** Ordinary events, a third of them retried five seconds later, with the hostile records mixed in among them. */
    private static List<InputRecord> inputs() {
        List<InputRecord> records = new ArrayList<>();
        List<java.util.function.Function<Instant, InputRecord>> hostileRecords = hostileEvents();
        hostile = hostileRecords.size();
        int everyNth = ORDINARY / hostileRecords.size();
        for (int i = 0; i < ORDINARY; i++) {
            Instant eventTime = START.plus(Duration.ofMinutes(3L * i));
            ObjectNode event = MmpEvent.of("ordinary-" + i, "af_purchase", eventTime)
                    .with("event_revenue_usd", "1.99")
                    .json();
            records.add(mmp(event.toString(), eventTime.plusSeconds(2)));
            if (i % 3 == 0) {
                records.add(mmp(event.toString(), eventTime.plusSeconds(7)));
            }
            if (i % everyNth == everyNth - 1 && !hostileRecords.isEmpty()) {
                records.add(hostileRecords.remove(0).apply(eventTime.plusSeconds(3)));
            }
        }
        hostileRecords.forEach(h -> records.add(h.apply(START.plus(Duration.ofHours(3)))));
        records.add(cdc("{\"id\":1}", visit(1, 86_400_000_000L), START.plusSeconds(30)));
        records.add(cdc("{\"id\":2}", visit(2, 45_296_000_000L), START.plusSeconds(31)));
        return records;
    }

    /** The hostile records, each made for the moment it arrives: on time, apart from what makes it hostile. */
    private static List<java.util.function.Function<Instant, InputRecord>> hostileEvents() {
        List<java.util.function.Function<Instant, InputRecord>> records = new ArrayList<>();
        records.add(t -> mmp(
                MmpEvent.of("clock-9999", "af_purchase", "9999-12-31 23:59:59.000")
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("clock-epoch0", "af_purchase", "1970-01-01 00:00:00.000")
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("clock-y10k", "af_purchase", 253_402_300_800_000L)
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("exponent", "af_purchase", t)
                        .with("event_revenue_usd", "1e-2000000000")
                        .with("campaign", EXPONENT_EMAIL)
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("exponent-json", "af_purchase", t)
                        .json()
                        .toString()
                        .replace("}", ",\"event_revenue\":1e999999999}"),
                t));
        ObjectNode nested = JSON.createObjectNode();
        nested.putObject("profile").putObject("contact").put("email", "x").put("backup", NESTED_EMAIL);
        nested.putArray("items").addObject().put("sku", "A-1").put("card", "5425 2334 3010 9903");
        nested.withArray("items").add(ARRAY_CARD);
        records.add(t -> mmp(
                MmpEvent.of("nested", "af_purchase", t)
                        .with("event_value", nested.toString())
                        .json()
                        .toString(),
                t));
        ObjectNode numbers = JSON.createObjectNode()
                .put("card", Long.parseLong(NUMBER_CARD))
                .put("phone", Long.parseLong(NUMBER_PHONE))
                .put("price", 12.99)
                .put("ts", 1_763_715_600_000L);
        records.add(t -> mmp(
                MmpEvent.of("numbers", "af_purchase", t)
                        .with("event_value", numbers.toString())
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("number-column", "af_purchase", t)
                        .json()
                        .put("order_ref", Long.parseLong(NUMBER_CARD))
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("full-width", "af_purchase", t)
                        .with("campaign", "주민번호 " + RRN_FULL_WIDTH)
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("rrn-no-check", "af_purchase", t)
                        .with("campaign", "resident no " + RRN_NO_CHECK)
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("mc-2-series", "af_purchase", t)
                        .with("campaign", "paid with 2223 0000 4841 0010")
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("zero-width", "af_purchase", t)
                        .with("campaign", "mail " + ZERO_WIDTH_EMAIL)
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("field-name", "af_purchase", t)
                        .json()
                        .put(FIELD_NAME_EMAIL, "1")
                        .toString(),
                t));
        String deep = "[".repeat(5000) + "\"" + DEEP_EMAIL + "\"" + "]".repeat(5000);
        records.add(t -> mmp(
                MmpEvent.of("deep", "af_purchase", t).json().toString().replace("}", ",\"event_value\":" + deep + "}"),
                t));
        records.add(t -> mmp(
                MmpEvent.of("deep-text", "af_purchase", t)
                        .with("event_value", deep)
                        .json()
                        .toString(),
                t));
        records.add(t -> mmp(
                MmpEvent.of("large", "af_purchase", t)
                        .with("campaign", LARGE_EMAIL + " " + "x".repeat(70_000))
                        .json()
                        .toString(),
                t));
        return records;
    }

    private static String visit(long id, long microsOfDay) {
        return "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"after\",\"type\":\"struct\",\"optional\":true,\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int64\"},{\"field\":\"opens_at\",\"type\":\"int64\",\"name\":\"io.debezium.time.MicroTime\"}]}]},"
                + "\"payload\":{\"op\":\"c\",\"source\":{\"ts_ms\":"
                + START.plusSeconds(29).toEpochMilli() + ",\"lsn\":" + (100 + id) + "},"
                + "\"after\":{\"id\":" + id + ",\"opens_at\":" + microsOfDay + "}}}";
    }

    private static InputRecord mmp(String value, Instant arrival) {
        return new InputRecord(
                "mmp.appsflyer.events", null, null, value.getBytes(StandardCharsets.UTF_8), arrival.toEpochMilli());
    }

    private static InputRecord cdc(String key, String value, Instant arrival) {
        return new InputRecord(
                "shop.public.visits",
                null,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                arrival.toEpochMilli());
    }

    /** An AppsFlyer event, built field by field. */
    private static final class MmpEvent {
        private final ObjectNode json = JSON.createObjectNode();

        static MmpEvent of(String appsflyerId, String name, Object eventTime) {
            MmpEvent event = new MmpEvent();
            event.json
                    .put("appsflyer_id", appsflyerId)
                    .put("event_name", name)
                    .put("platform", "android")
                    .put("customer_user_id", "u-" + appsflyerId);
            if (eventTime instanceof Instant instant) {
                event.json.put("event_time", io.sluice.serdes.EventTimeParser.formatAppsFlyer(instant.toEpochMilli()));
            } else if (eventTime instanceof Long millis) {
                event.json.put("event_time", millis);
            } else {
                event.json.put("event_time", (String) eventTime);
            }
            return event;
        }

        MmpEvent with(String field, String value) {
            json.put(field, value);
            return this;
        }

        ObjectNode json() {
            return json;
        }
    }
}
