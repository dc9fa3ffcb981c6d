package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.SluiceCommand;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.EmbeddedSchemaRegistry;
import io.sluice.replay.InputRecord;
import io.sluice.replay.ReplayInputReader;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.tools.SluiceTools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} as operators see it, in its own JVM against the real broker: readiness before
 * and after RUNNING, every metric family on {@code /metrics}, SIGTERM within 30 s, and a restart
 * that resumes without losing or repeating a record.
 */
class OperationsEndToEndTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static Path config;
    static EmbeddedSchemaRegistry registry;
    static int port;
    static int dimensionsPort;
    static final String TOKEN = "operations-e2e-dimensions-token-0123456789";
    static List<InputRecord> users;
    static List<InputRecord> events;

    @BeforeAll
    static void setUp() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        registry = EmbeddedSchemaRegistry.start(dir.resolve("registry")); // the child JVMs need a registry outside them
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .ensure(
                            List.of("shop.public.users", "mmp.appsflyer.events"),
                            new TopicSettings(Optional.of(2), Optional.empty()),
                            Map.of());
        }
        Path key = dir.resolve("key");
        Files.writeString(key, "operations-e2e-secret-0123456789-abcdef");
        try (ServerSocket socket = new ServerSocket(0);
                ServerSocket other = new ServerSocket(0)) {
            port = socket.getLocalPort();
            dimensionsPort = other.getLocalPort();
        }
        Path token = Files.writeString(dir.resolve("dimensions-token"), TOKEN + "\n");
        Path commitInterval = Files.writeString(dir.resolve("commit-interval"), "200");
        config = dir.resolve("sluice.yaml");
        Files.writeString(
                config,
                Fixtures.resource("replay.yaml")
                                .replace("${KEY_FILE}", key.toString())
                                .replace(
                                        "bootstrap.servers: localhost:9092",
                                        "bootstrap.servers: " + kafka.bootstrapServers())
                                // any kafka: value may be a reference, read when the clients are built
                                .replace(
                                        "application.id: replay-e2e",
                                        "application.id: ops-e2e\n  commit.interval.ms: { file: " + commitInterval
                                                + " }")
                                .replace(
                                        "  uri: /unused",
                                        "  uri: " + dir.resolve("lake")
                                                + "\n  flush: { interval: 1s }\n  compaction: { grace: 0m, interval: 2s }")
                                .replace("  unlisted: drop", "  unlisted: drop\n  detectors: [email]")
                                .replace(
                                        "    - { source: mmp, column: event_value, action: drop }",
                                        "    - { source: mmp, column: event_value, action: keep }\n"
                                                + "    - { source: mmp, column: media_source, action: generalize, to: year }")
                        + "http: { port: " + port + ", bindAddress: 127.0.0.1, readTimeout: 2s, requestTimeout: 5s,\n"
                        + "  dimensions: { enabled: true, bindAddress: 127.0.0.1, port: " + dimensionsPort
                        + ", token: { file: " + token + " } } }\n"
                        + "schemaRegistry: { url: \"" + registry.url() + "\" }\n"
                        + "dedup: [ { source: mmp, key: [appsflyer_id, event_name, event_time] } ]\n"
                        + "aggregates: [ { name: ops_hourly, source: mmp, window: { size: 1h }, groupBy: [event_name], measures: [count],"
                        + " emit: early } ]\n");
        users = ReplayInputReader.read("shop.public.users", Fixtures.copy("shop-users.jsonl", dir));
        events = ReplayInputReader.read("mmp.appsflyer.events", Fixtures.copy("mmp-events.jsonl", dir));
    }

    @AfterAll
    static void tearDown() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void runsReportsShutsDownOnSigtermAndResumesExactlyOnce() throws Exception {
        Process first = startRun("first");
        List<Integer> readiness = pollReadinessUntilReady(Duration.ofSeconds(60));
        assertThat(readiness).as("503 before RUNNING, then 200").contains(503).endsWith(200);
        assertDimensionsNeedTheTokenAndTheirOwnPort();

        produce(users.subList(0, 4));
        produce(events);
        produce(events); // a partner retrying every push
        awaitCurated("curated.shop.users", 4);
        awaitCurated("curated.mmp.events", 4);
        awaitLakeRows(8);
        awaitMetric("sluice_compaction_hours_total");

        String metrics = get("/metrics").body();
        for (String family : List.of(
                "sluice_records_in_total",
                "sluice_records_curated_total",
                "sluice_dlq_records_total",
                "sluice_masking_columns_total",
                "sluice_pii_detections_total",
                "sluice_masking_failures_total",
                "sluice_lake_objects_total",
                "sluice_lake_rows_total",
                "sluice_lake_bytes_total",
                "sluice_compaction_runs_total",
                "sluice_compaction_hours_total",
                "sluice_compaction_files_total",
                "sluice_duplicates_dropped_total",
                "sluice_window_emits_total",
                "sluice_compaction_duration_seconds_count")) {
            assertThat(nonZero(metrics, family)).as(family).isTrue();
        }
        assertThat(metrics)
                .contains(
                        "sluice_streams_running 1.0",
                        "kafka_stream_thread_process_total",
                        "jvm_memory_used_bytes",
                        "process_cpu_usage",
                        "sluice_http_requests_cut_off_total{limit=\"read\",listener=\"dimensions\"}");
        assertThat(metrics).as("labels carry names, never values").doesNotContain("example.com", "Minjun");

        long stopping = System.nanoTime();
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(30, TimeUnit.SECONDS))
                .as("stopped within 30 s")
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(30));
        assertThat(Files.readString(dir.resolve("first.log"))).contains("stopped cleanly");

        assertThat(SluiceTools.execute("compact", "--config", config.toString()))
                .isZero();
        produce(users.subList(4, users.size()));
        Process second = startRun("second");
        try {
            pollReadinessUntilReady(Duration.ofSeconds(60));
            awaitCurated("curated.shop.users", 5);
            awaitLakeRows(9);
            String line = get("/metrics")
                    .body()
                    .lines()
                    .filter(l -> l.startsWith("sluice_lake_newest_compacted_hour_seconds{table=\"shop_users\"}"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .as("end of the newest compacted hour")
                    .isEqualTo(java.time.Instant.parse("2025-11-21T11:00:00Z").getEpochSecond());
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(curatedValues("curated.shop.users"))
                .as("each curated record once")
                .hasSize(5)
                .doesNotHaveDuplicates();
    }

    private static void assertDimensionsNeedTheTokenAndTheirOwnPort() throws Exception {
        assertThat(SluiceTools.execute("validate", "--config", config.toString()))
                .as("validate reads every reference")
                .isZero();
        URI query = URI.create("http://127.0.0.1:" + dimensionsPort + "/dimensions/users/1");
        assertThat(HTTP.send(HttpRequest.newBuilder(query).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
        assertThat(HTTP.send(
                                HttpRequest.newBuilder(query)
                                        .header("Authorization", "Bearer not-" + TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> authorized = HTTP.send(
                HttpRequest.newBuilder(query)
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authorized.statusCode())
                .as("past the token: this configuration keeps no dimension")
                .isEqualTo(404);
        assertThat(authorized.body()).contains("no dimension 'users'");
        assertThat(get("/dimensions/users/1").statusCode())
                .as("never on the probes' port")
                .isEqualTo(404);
    }

    private static Process startRun(String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                SluiceCommand.class.getName(),
                "run",
                "--config",
                config.toString(),
                "--state-dir",
                dir.resolve("state").toString());
        builder.environment().put("SLUICE_INSTANCE_ID", "sluice-0");
        builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        return builder.start();
    }

    private static List<Integer> pollReadinessUntilReady(Duration timeout) throws InterruptedException {
        List<Integer> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int status = get("/health/ready").statusCode();
                if (seen.isEmpty() || seen.get(seen.size() - 1) != status) {
                    seen.add(status);
                }
                if (status == 200) {
                    return seen;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never ready; saw " + seen);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean nonZero(String metrics, String family) {
        return metrics.lines()
                .filter(l -> l.startsWith(family + "{") || l.startsWith(family + " "))
                .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0);
    }

    private static void awaitMetric(String family) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!nonZero(get("/metrics").body(), family)) {
            assertThat(System.nanoTime()).as(family).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static void produce(List<InputRecord> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (InputRecord r : records) {
                producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value()))
                        .get();
            }
        }
    }

    private static void awaitCurated(String topic, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (curatedValues(topic).size() < count) {
            assertThat(System.nanoTime()).as("curated records in " + topic).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static void awaitLakeRows(int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (lakeRows() < rows) {
            assertThat(System.nanoTime()).as("lake rows").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Rows in tier 0 plus rows already compacted into tier 1. */
    private static long lakeRows() throws Exception {
        Path lake = dir.resolve("lake");
        long rows = 0;
        for (Path object : Tier0Objects.under(lake)) {
            rows += Tier0Objects.rows(object).size();
        }
        if (Files.exists(lake.resolve("curated"))) {
            rows += (Long) new DuckDbLake(lake)
                    .query("SELECT count(*) FROM read_parquet('" + lake.resolve("curated")
                            + "/**/*.parquet', union_by_name=true)")
                    .get(0)
                    .get(0);
        }
        return rows;
    }

    /** The committed values of a topic, event time left out. */
    private static List<String> curatedValues(String topic) {
        return TopicContent.rows(kafka.bootstrapServers(), topic, registry.url()).stream()
                .map(row -> ((com.fasterxml.jackson.databind.node.ObjectNode) row)
                        .without("__event_time")
                        .toString())
                .toList();
    }
}
