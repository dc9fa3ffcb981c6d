package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.ConfigLoader;
import io.sluice.config.HttpSettings;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.ops.BearerToken;
import io.sluice.ops.DimensionQueries;
import io.sluice.ops.HttpListener;
import io.sluice.runtime.SluicePipeline;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.sinks.HourlyCompactor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "As of" queries with two instances of one application on the real broker: each owns half of the
 * dimension's partitions, and a query sent to either answers for every key — from its own store, or
 * by asking the owner. The history also reaches the lake as one row per version, a version retracted
 * by an out-of-order change removed there too.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class DimensionQueriesEndToEndTest {
    private static final int KEYS = 12;
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "%s", application.id: dim-queries-e2e, commit.interval.ms: 100, application.server: "127.0.0.1:%d" }
            sources: [ { name: shop, type: debezium, topics: [shop.public.users], eventTimeBounds: { notBefore: "1970-01-01" } } ]
            pii: { rules: [ { table: users, column: "*", action: keep } ] }
            dimensions: [ { source: shop, table: users, key: [id] } ]
            topics: { partitions: 2 }
            lake: { uri: "%s", flush: { interval: 1s } }
            http: { enabled: false }
            schemaRegistry: { url: "mock://dim-queries-e2e" }
            """;

    /** Both instances share it, as the chart's pods share one Secret; forwarded queries carry it too. */
    private static final String TOKEN = "dimensions-e2e-token-0123456789abcdef";

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static final List<Instance> instances = new ArrayList<>();

    /** One application instance: its pipeline and the /dimensions listener on its application.server port. */
    record Instance(SluicePipeline pipeline, HttpListener dimensions, int port) {}

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .ensure(
                            List.of("shop.public.users"),
                            new TopicSettings(Optional.of(2), Optional.empty()),
                            Map.of());
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int id = 1; id <= KEYS; id++) {
                producer.send(new ProducerRecord<>(
                        "shop.public.users", utf8("{\"id\":" + id + "}"), change(id, "Seoul", 1_000L * id, 100L * id)));
                producer.send(new ProducerRecord<>(
                        "shop.public.users",
                        utf8("{\"id\":" + id + "}"),
                        change(id, "Busan", 1_000_000L + 1_000L * id, 10_000L + 100L * id)));
                // arriving last, an earlier move to Busan: the version opened by the later one is merged away
                // (retracted)
                producer.send(new ProducerRecord<>(
                        "shop.public.users",
                        utf8("{\"id\":" + id + "}"),
                        change(id, "Busan", movedAt(id), 5_000L + 100L * id)));
            }
        }
        for (int i = 0; i < 2; i++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            SluiceConfig config =
                    ConfigLoader.parse(CONFIG.formatted(kafka.bootstrapServers(), port, dir.resolve("lake")));
            SluicePipeline pipeline = SluicePipeline.start(
                    config,
                    config.pii().toPolicy(Map.of()),
                    new SluiceMetrics(new SimpleMeterRegistry()),
                    config.schemaRegistry().connect(Map.of()),
                    dir.resolve("state-" + i),
                    Map.of());
            HttpSettings http = new HttpSettings(
                    false,
                    "127.0.0.1",
                    0,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    new HttpSettings.DimensionsListener(true, "127.0.0.1", port, null));
            HttpListener dimensions = new DimensionQueries(
                            config.dimensions(),
                            pipeline::streams,
                            new HostInfo("127.0.0.1", port),
                            BearerToken.of("http.dimensions.token", TOKEN),
                            http.requestTimeout())
                    .serve(http, new SimpleMeterRegistry());
            instances.add(new Instance(pipeline, dimensions, port));
        }
    }

    @AfterAll
    static void stop() {
        for (Instance instance : instances) {
            instance.dimensions().close();
            instance.pipeline().close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void eitherInstanceAnswersForEveryKeyWhoeverOwnsIt() throws Exception {
        Set<HostInfo> owners = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (int id = 1; id <= KEYS; id++) {
            for (Instance asked : instances) {
                HttpResponse<String> before = get(asked, id, 1_000L * id + 1);
                HttpResponse<String> after = get(asked, id, 2_000_000L);
                while ((before.statusCode() != 200 || after.statusCode() != 200) && System.nanoTime() < deadline) {
                    Thread.sleep(250); // the instances are still rebalancing or processing
                    before = get(asked, id, 1_000L * id + 1);
                    after = get(asked, id, 2_000_000L);
                }
                assertThat(city(before))
                        .as("key %d asked at %d", id, asked.port())
                        .isEqualTo("Seoul");
                assertThat(city(after))
                        .as("key %d asked at %d", id, asked.port())
                        .isEqualTo("Busan");
            }
            KafkaStreams streams = instances.get(0).pipeline().streams();
            owners.add(streams.queryMetadataForKey(
                            "dim-users-store",
                            "[\"" + id + "\"]",
                            Serdes.String().serializer())
                    .activeHost());
        }
        assertThat(owners)
                .as("both instances own keys, so half of the answers were forwarded")
                .hasSize(2);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theLakeHistoryHasOneRowPerVersionAndNoneForARetractedOne() throws Exception {
        for (Instance instance : instances) {
            instance.pipeline().awaitIdle(Duration.ofSeconds(90));
        }
        SluiceConfig config = ConfigLoader.parse(CONFIG.formatted(kafka.bootstrapServers(), 0, dir.resolve("lake")));
        new HourlyCompactor(config.lake().open(), config.lake().compaction()).compact(hour -> true);
        DuckDbLake lake = new DuckDbLake(dir.resolve("lake"));
        String history = lake.table("dim_users_history");

        assertThat(lake.query("SELECT count(*), count(DISTINCT scd_id) FROM " + history))
                .as("one row per version, read with no dedup query: two versions per key")
                .containsExactly(List.of(2L * KEYS, 2L * KEYS));
        for (int id = 1; id <= KEYS; id++) {
            assertThat(lake.query("SELECT city, valid_from, valid_to FROM " + history + " WHERE id = " + id
                            + " ORDER BY valid_from"))
                    .as("key %d: Seoul until the late move, Busan since; the later move's version is gone", id)
                    .containsExactly(
                            List.of("Seoul", 1_000L * id, movedAt(id)), Arrays.asList("Busan", movedAt(id), null));
        }
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void eraseRemovesAKeyFromTheLakeAndTombstonesItsVersionsAndCurrentRowInTheCompactedTopics() throws Exception {
        for (Instance instance : instances) {
            instance.pipeline().awaitIdle(Duration.ofSeconds(90));
        }
        DuckDbLake lake = new DuckDbLake(dir.resolve("lake"));
        List<String> scdIds =
                lake.query("SELECT scd_id FROM " + lake.table("dim_users_history") + " WHERE id = 5").stream()
                        .map(row -> row.get(0).toString())
                        .toList();
        assertThat(scdIds).hasSize(2);
        Path config = dir.resolve("erase.yaml");
        java.nio.file.Files.writeString(config, CONFIG.formatted(kafka.bootstrapServers(), 0, dir.resolve("lake")));

        java.io.StringWriter printed = new java.io.StringWriter();
        picocli.CommandLine cli = io.sluice.tools.SluiceTools.commandLine();
        cli.setOut(new java.io.PrintWriter(printed, true));
        int exit = cli.execute("erase", "--config", config.toString(), "--pseudonym", "5", "--column", "id");

        assertThat(exit).as(printed.toString()).isZero();
        assertThat(printed.toString()).contains("dim.users.history", "dim.users.current");
        assertThat(lake.query("SELECT count(*) FROM " + lake.table("dim_users_history") + " WHERE id = 5"))
                .containsExactly(List.of(0L));
        assertThat(lake.query("SELECT count(DISTINCT id) FROM " + lake.table("dim_users_history")))
                .as("every other key still there")
                .containsExactly(List.of((long) KEYS - 1));
        Map<String, byte[]> last = new java.util.HashMap<>();
        for (var record : TopicContent.read(
                kafka.bootstrapServers(), List.of("dim.users.history", "dim.users.current"), "read_committed")) {
            last.put(record.topic() + "/" + new String(record.key(), StandardCharsets.UTF_8), record.value());
        }
        for (String scdId : scdIds) {
            assertThat(last).containsKey("dim.users.history/" + scdId);
            assertThat(last.get("dim.users.history/" + scdId))
                    .as("version " + scdId + " tombstoned")
                    .isNull();
        }
        assertThat(last).containsKey("dim.users.current/{\"id\":5}");
        assertThat(last.get("dim.users.current/{\"id\":5}"))
                .as("current row tombstoned")
                .isNull();
        assertThat(last.get("dim.users.current/{\"id\":4}"))
                .as("another key untouched")
                .isNotNull();
    }

    private static long movedAt(int id) {
        return 500_000L + 1_000L * id;
    }

    private static HttpResponse<String> get(Instance instance, int id, long asOf) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/dimensions/users/"
                                        + id + "?asOf=" + asOf))
                                .header("Authorization", "Bearer " + TOKEN)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String city(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).get("city").asText();
    }

    private static byte[] change(int id, String city, long commitMs, long lsn) {
        return utf8("{\"before\":null,\"after\":{\"id\":" + id + ",\"city\":\"" + city + "\"},\"source\":{\"ts_ms\":"
                + commitMs + ",\"lsn\":" + lsn + ",\"txId\":" + lsn + "},\"op\":\"" + (city.equals("Seoul") ? "c" : "u")
                + "\"}");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
