package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.replay.EmbeddedRun;
import io.sluice.replay.InputRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants unique canary values (e-mails, phones, an RRN, a card number, a name, a device id, an IP;
 * in columns, inside {@code event_value}, in free text, in records that fail to parse) and scans
 * every byte Sluice leaves behind: every topic but the inputs (curated, dead-letter, internal),
 * the state directory, both lake tiers, the topic dumps and the application's log output.
 */
class PiiCanaryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMAIL = "canary.email.7f3a@example.org";
    private static final String NAME = "Canaryname Zqxw";
    private static final String PHONE = "010-7391-4628";
    private static final String RRN = "850315-2739148";
    private static final String CARD = "4539 1488 0343 6467";
    private static final String DEVICE = "c4a7e1d2-0b5f-4e9a-9d3c-7a1b2c3d4e5f";
    private static final String IP = "203.0.113.77";
    private static final String FREE_EMAIL = "canary.free.3k8d@example.org";
    private static final String NESTED_PHONE = "010-5823-1947";
    private static final String BROKEN_EMAIL = "canary.broken.1z9x@example.org";
    private static final List<String> PLANTED =
            List.of(EMAIL, NAME, PHONE, RRN, CARD, DEVICE, IP, FREE_EMAIL, NESTED_PHONE, BROKEN_EMAIL);
    /** What is searched for: the planted values and their obvious normalisations. */
    private static final List<String> CANARIES = Stream.concat(
                    PLANTED.stream(), Stream.of(RRN.replace("-", ""), CARD.replace(" ", ""), PHONE.replace("-", "")))
            .toList();

    private static final String CONFIG = """
            kafka: { bootstrap.servers: "replaced:9092", application.id: canary }
            sources:
              - { name: shop, type: debezium, topics: [shop.public.users] }
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] }
            pii:
              key: { file: "%s", id: "1" }
              unlisted: drop
              detectors: [email, phone, kr-rrn, card, ip]
              rules:
                - { table: users, column: id, action: hash }
                - { table: users, column: email, action: hash }
                - { table: users, column: full_name, action: redact }
                - { table: users, column: phone, action: mask, keepLast: 4 }
                - { table: users, column: signup_ip, action: generalize, to: network }
                - { table: users, column: birth_date, action: generalize, to: age-band }
                - { table: users, column: bio, action: keep }
                - { table: users, column: prefs.email, action: hash }
                - { table: users, column: "prefs.*", action: keep }
                - { source: mmp, column: "*", action: keep }
                - { source: mmp, column: customer_user_id, action: hash }
                - { source: mmp, column: advertising_id, action: hash }
                - { source: mmp, column: ip, action: drop }
                - { source: mmp, column: event_value.email, action: hash }
                - { source: mmp, column: event_value.phone, action: drop }
                - { source: mmp, column: "event_value.*", action: keep }
            lake: { uri: /replaced }
            """;

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static ListAppender<ILoggingEvent> logs;
    static Path lake;
    static Path out;
    static Path state;
    /** Tier-0 objects as they were before compaction removed them: path to content. */
    static Map<String, String> tier0;

    @BeforeAll
    static void run() throws Exception {
        logs = LeftBehind.captureLogs();
        Path key = dir.resolve("key");
        Files.writeString(key, "canary-test-secret-0123456789-abcdefgh");
        SluiceConfig config = ConfigLoader.parse(CONFIG.formatted(key));
        lake = dir.resolve("lake");
        out = dir.resolve("out");
        state = dir.resolve("state");
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        // Its own registry (Apicurio, started by the run) is stopped when the run closes.
        try (EmbeddedRun run = new EmbeddedRun(config, Map.of(), Duration.ofMinutes(2))) {
            EmbeddedRun.Processed processed = run.process(kafka, inputs(), lake, state);
            tier0 = Tier0Objects.contents(lake);
            run.compactAndDump(processed, out);
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
    void theInputReallyCarriesEveryCanary() throws Exception {
        String input = String.join(
                "\n",
                LeftBehind.topicText(kafka.bootstrapServers(), Set.of("shop.public.users", "mmp.appsflyer.events")));
        assertThat(PLANTED).allMatch(input::contains);
    }

    @Test
    void noTopicSluiceWritesHoldsACanary() throws Exception {
        Set<String> written =
                LeftBehind.topicsExcept(kafka.bootstrapServers(), Set.of("shop.public.users", "mmp.appsflyer.events"));
        assertThat(written).contains("curated.shop.users", "curated.mmp.events", "sluice.dlq", "__consumer_offsets");

        assertNoCanary("topics " + written, String.join("\n", LeftBehind.topicText(kafka.bootstrapServers(), written)));
    }

    @Test
    void noFileSluiceLeavesHoldsACanary() throws Exception {
        for (Path root : List.of(lake, out, state)) {
            if (!Files.exists(root)) {
                continue; // a stateless topology may never create its state directory
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertNoCanary(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
        }
    }

    @Test
    void noTier0ObjectHeldACanary() {
        assertThat(tier0).isNotEmpty();
        tier0.forEach(PiiCanaryEndToEndTest::assertNoCanary);
    }

    @Test
    void noParquetCellHoldsACanary() throws Exception {
        DuckDbLake duck = new DuckDbLake(lake);
        for (String table : List.of("shop_users", "mmp_events")) {
            List<List<Object>> rows = duck.query("SELECT * FROM " + duck.table(table));
            assertThat(rows).isNotEmpty();
            assertNoCanary(table, rows.toString());
        }
    }

    @Test
    void noLogLineHoldsACanary() {
        String all = LeftBehind.logText(logs);
        assertThat(all).contains("dead-lettered");
        assertNoCanary("log output", all);
    }

    @Test
    void theSameEmailGetsTheSamePseudonymInACdcRowAndInsideEventValue() throws IOException {
        JsonNode user = JSON.readTree(Files.readAllLines(out.resolve("curated.shop.users.jsonl"))
                        .get(0))
                .get("value");
        JsonNode event = JSON.readTree(Files.readAllLines(out.resolve("curated.mmp.events.jsonl"))
                        .get(0))
                .get("value");
        JsonNode eventValue = JSON.readTree(event.get("event_value").asText());

        assertThat(eventValue.get("email").asText())
                .startsWith("k1:")
                .isEqualTo(user.get("email").asText());
        assertThat(event.get("customer_user_id").asText())
                .isEqualTo(user.get("id").asText());
        assertThat(eventValue.get("screen_name").asText()).isEqualTo("home");
        assertThat(event.get("campaign").asText()).isEqualTo("winter launch, ask [email]");
        assertThat(user.get("phone").asText()).isEqualTo("*********4628");
        assertThat(user.get("signup_ip").asText()).isEqualTo("203.0.113.0/24");
        assertThat(user.get("bio").asText()).isEqualTo("card [card], rrn [kr-rrn], mail [email]");
        assertThat(user.get("full_name").isNull()).isTrue();
    }

    private static void assertNoCanary(String where, String content) {
        List<String> found = CANARIES.stream().filter(content::contains).toList();
        assertThat(found).as("canaries found in " + where).isEmpty();
    }

    private static List<InputRecord> inputs() {
        long t = 1_763_715_600_000L; // 2025-11-21T09:00Z
        ObjectNode after = JSON.createObjectNode()
                .put("id", 1001)
                .put("email", EMAIL)
                .put("full_name", NAME)
                .put("phone", PHONE)
                .put("resident_no", RRN)
                .put("birth_date", 5_553)
                .put("signup_ip", IP)
                .put("bio", "card " + CARD + ", rrn " + RRN + ", mail " + FREE_EMAIL);
        after.putObject("prefs").put("email", EMAIL).put("newsletter", true);
        ObjectNode insert = envelope("c", null, after, t);
        ObjectNode delete = envelope("d", after, null, t + 60_000);
        ObjectNode eventValue = JSON.createObjectNode()
                .put("email", EMAIL)
                .put("phone", NESTED_PHONE)
                .put("screen_name", "home");
        ObjectNode event = JSON.createObjectNode()
                .put("appsflyer_id", "1690000001001-2000002")
                .put("customer_user_id", "1001")
                .put("event_name", "af_login")
                .put("event_time", "2025-11-21 09:05:00.000")
                .put("event_value", eventValue.toString())
                .put("advertising_id", DEVICE)
                .put("ip", IP)
                .put("platform", "android")
                .put("campaign", "winter launch, ask " + FREE_EMAIL);
        return List.of(
                record("shop.public.users", "{\"id\":1001}", insert.toString(), t),
                record(
                        "shop.public.users",
                        "{\"id\":1002}",
                        "{\"op\":\"c\",\"after\":{\"email\":\"" + BROKEN_EMAIL + "\"",
                        t + 1),
                record("shop.public.users", "{\"id\":1001}", delete.toString(), t + 60_000),
                record("shop.public.users", "{\"id\":1001}", null, t + 60_001),
                record("mmp.appsflyer.events", null, event.toString(), t + 300_000),
                record(
                        "mmp.appsflyer.events",
                        null,
                        "{\"event_name\":\"af_login\",\"email\":\"" + BROKEN_EMAIL + "\",\"ip\":\"" + IP + "\"}",
                        t + 300_001));
    }

    private static ObjectNode envelope(String op, ObjectNode before, ObjectNode after, long commitMs) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.set("before", before);
        envelope.set("after", after);
        envelope.putObject("source")
                .put("connector", "postgresql")
                .put("table", "users")
                .put("ts_ms", commitMs);
        envelope.put("op", op).put("ts_ms", commitMs + 100);
        return envelope;
    }

    private static InputRecord record(String topic, String key, String value, long timestamp) {
        return new InputRecord(
                topic,
                null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                timestamp);
    }
}
