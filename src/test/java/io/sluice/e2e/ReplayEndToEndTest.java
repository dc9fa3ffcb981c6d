package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.tools.SluiceTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice replay} over recorded Debezium and AppsFlyer events, on the real Kafka broker,
 * checked through the topic dumps and, with DuckDB, through the Parquet lake.
 */
class ReplayEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path lake;
    static Path out;
    static int exitCode;
    static String printed;
    static String errors;

    @BeforeAll
    static void replay() throws IOException {
        Path key = dir.resolve("pii.key");
        Files.writeString(key, "replay-e2e-secret-key-0123456789");
        Path config = dir.resolve("replay.yaml");
        Files.writeString(config, Fixtures.resource("replay.yaml").replace("${KEY_FILE}", key.toString()));
        Path users = Fixtures.copy("shop-users.jsonl", dir);
        Path events = Fixtures.copy("mmp-events.jsonl", dir);
        lake = dir.resolve("lake");
        out = dir.resolve("out");

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = SluiceTools.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));
        exitCode = cli.execute(
                "replay",
                "--config",
                config.toString(),
                "--input",
                "shop.public.users=" + users,
                "--input",
                "mmp.appsflyer.events=" + events,
                "--lake",
                lake.toString(),
                "--out",
                out.toString());
        printed = stdout.toString();
        errors = stderr.toString();
    }

    @Test
    void exitsSuccessfully() {
        assertThat(exitCode).as(errors).isZero();
        assertThat(printed).contains("Processed 12 input records");
    }

    @Test
    void dumpsEveryTopicSluiceWrites() throws IOException {
        assertThat(lines("curated.shop.users")).hasSize(5);
        assertThat(lines("curated.mmp.events")).hasSize(4);
        assertThat(lines("sluice.dlq")).hasSize(2);
    }

    @Test
    void curatedRowsAreMaskedAndColumnsWithoutRuleAreAbsent() throws IOException {
        for (JsonNode record : lines("curated.shop.users")) {
            JsonNode row = record.get("value");
            assertThat(row.get("email").asText()).startsWith("k1:");
            assertThat(row.has("phone")).isFalse();
            assertThat(row.has("birth_date")).isFalse();
            assertThat(row.has("full_name")).isFalse();
        }
        JsonNode registration = lines("curated.mmp.events").get(2).get("value");
        assertThat(registration.get("event_name").asText()).isEqualTo("af_complete_registration");
        assertThat(registration.has("ip")).isFalse();
        assertThat(registration.has("event_value")).isFalse();
    }

    @Test
    void deadLettersCarryCoordinatesAndReasonButNoPayload() throws IOException {
        JsonNode shop = lines("sluice.dlq").stream()
                .map(l -> l.get("value"))
                .filter(v -> v.get("source").asText().equals("shop"))
                .findFirst()
                .orElseThrow();
        assertThat(shop.get("topic").asText()).isEqualTo("shop.public.users");
        assertThat(shop.get("offset").isIntegralNumber()).isTrue();
        assertThat(shop.get("reason").asText()).isEqualTo("malformed-json");
        assertThat(shop.get("stage").asText()).isEqualTo("decode");
        assertThat(shop.get("error_class").asText()).isEqualTo("DecodeException");
        assertThat(lines("sluice.dlq").stream()
                        .map(l -> l.get("value"))
                        .filter(v -> v.get("source").asText().equals("mmp"))
                        .findFirst()
                        .orElseThrow()
                        .get("reason")
                        .asText())
                .isEqualTo("missing-field");
    }

    @Test
    void noRawPiiAnywhereInTheOutputOrTheLake() throws IOException {
        List<String> raw = List.of("@example.com", "010-", "Kim Minjun", "211.234.");
        try (Stream<Path> files = Stream.concat(Files.walk(out), Files.walk(lake))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(raw).as(file.toString()).noneMatch(content::contains);
            }
        }
        assertThat(printed + errors).doesNotContain("leaked.if.logged");
    }

    @Test
    void lakeHasHourlyParquetPartitionsWithTheRightRowCounts() throws Exception {
        DuckDbLake duck = new DuckDbLake(lake);

        assertThat(duck.query("SELECT year, month, day, hour, count(*) FROM " + duck.table("shop_users")
                        + " GROUP BY ALL ORDER BY ALL"))
                .containsExactly(List.of(2025, 11, 21, 9, 3L), List.of(2025, 11, 21, 10, 2L));
        assertThat(duck.query("SELECT hour, count(*) FROM " + duck.table("mmp_events") + " GROUP BY ALL ORDER BY ALL"))
                .containsExactly(List.of(9, 2L), List.of(10, 2L));
        assertThat(duck.query("SELECT count(*) FROM read_parquet('" + lake
                        + "/curated/**/*.parquet', hive_partitioning=true)"))
                .containsExactly(List.of(9L));
        try (Stream<Path> files = Files.walk(lake.resolve("curated"))) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString()))
                    .allMatch(name -> name.matches("part-\\d{5}\\.snappy\\.parquet") || name.equals("_SUCCESS"));
        }
        assertThat(Files.readString(lake.resolve("_ddl/shop_users.sql")))
                .contains("CREATE EXTERNAL TABLE IF NOT EXISTS `shop_users`", "hour=9) LOCATION", "hour=10) LOCATION");
    }

    @Test
    void lakeColumnsAreTheMaskedOnes() throws Exception {
        DuckDbLake duck = new DuckDbLake(lake);

        assertThat(duck.columns("shop_users"))
                .contains("id", "email", "city", "tier", "__op", "__deleted", "__event_time")
                .doesNotContain("phone", "full_name", "birth_date");
        assertThat(duck.query("SELECT count(*) FROM " + duck.table("shop_users") + " WHERE email NOT LIKE 'k1:%'"))
                .containsExactly(List.of(0L));
        assertThat(duck.query("SELECT __op, __deleted FROM " + duck.table("shop_users")
                        + " WHERE id = 2 ORDER BY __event_time"))
                .containsExactly(List.of("r", false), List.of("d", true));
        assertThat(duck.query("SELECT sum(event_revenue_usd) FROM " + duck.table("mmp_events")))
                .containsExactly(List.of(9.99));
    }

    private static List<JsonNode> lines(String topic) throws IOException {
        return Files.readAllLines(out.resolve(topic + ".jsonl")).stream()
                .map(line -> {
                    try {
                        return JSON.readTree(line);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }
}
