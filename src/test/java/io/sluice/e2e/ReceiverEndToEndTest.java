package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bench.ReceiverLoad;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.receiver.AppTokens;
import io.sluice.receiver.PushReceiver;
import io.sluice.receiver.ReceiverSettings;
import io.sluice.runtime.SluicePipeline;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.serdes.EventTimeParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice receive} against the real broker: concurrent senders, a broker away for 30 s under load, and a
 * {@code kill -9} with pushes still in the spool. Every push answered 200 reaches the topic, and after the pipeline is
 * curated exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceiverEndToEndTest {
    private static final String TOPIC = "mmp.appsflyer.events";
    private static final String APP = "com.example.game";
    private static final String TOKEN = "receiver-e2e-token-0123456789";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private Path dir;

    private EmbeddedKafka kafka;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final AtomicInteger sequence = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .ensure(
                            List.of(TOPIC),
                            new TopicSettings(Optional.of(4), Optional.empty()),
                            SluicePipeline.TIMESTAMPS_ANY_AGE);
        }
    }

    @AfterAll
    void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void concurrentPushesAllReachTheTopicAndAreCuratedExactlyOnce() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (PushReceiver receiver = inProcess("concurrent")) {
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                done.add(senders.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        String id = "af-" + sequence.incrementAndGet();
                        String event = event(id);
                        if (push(receiver.port(), event) == 200) {
                            acknowledged.add(id);
                        }
                        if (i % 10 == 0) {
                            push(receiver.port(), event); // AppsFlyer's retry of the same event
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(3, TimeUnit.MINUTES);
            }
            senders.shutdown();
        }
        assertThat(acknowledged).hasSize(8 * 150);
        assertThat(idsInTopic()).containsAll(acknowledged);

        Path key = dir.resolve("pii-key");
        Files.writeString(key, "receiver-e2e-pii-key-0123456789abcdef");
        SluiceConfig config =
                ConfigLoader.parse("""
                kafka: { bootstrap.servers: "%s", application.id: receiver-e2e, commit.interval.ms: 200 }
                sources:
                  - { name: mmp, type: mmp, topics: [%s] }
                pii:
                  key: { file: "%s" }
                  unlisted: keep
                dedup:
                  - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 2h, idleTimeout: 5s }
                topics: { partitions: 4 }
                lake: { uri: "%s", flush: { interval: 1s } }
                schemaRegistry: { url: "mock://receiver-e2e" }
                """.formatted(kafka.bootstrapServers(), TOPIC, key, dir.resolve("lake")));
        try (SluicePipeline pipeline = SluicePipeline.start(
                config,
                config.pii().toPolicy(Map.of()),
                new SluiceMetrics(new SimpleMeterRegistry()),
                config.schemaRegistry().connect(Map.of()),
                dir.resolve("state"),
                Map.of())) {
            pipeline.awaitIdle(Duration.ofMinutes(2));
        }
        List<JsonNode> curated =
                TopicContent.rows(kafka.bootstrapServers(), "curated.mmp.events", "mock://receiver-e2e");
        Map<String, Long> copies = curated.stream()
                .collect(Collectors.groupingBy(r -> r.get("appsflyer_id").asText(), Collectors.counting()));
        assertThat(copies.keySet()).as("every acknowledged push curated").containsAll(acknowledged);
        assertThat(copies.values()).as("and none twice").allMatch(n -> n == 1);
    }

    @Test
    void aBrokerAwayFor30SecondsUnderLoadLosesNoAcknowledgedPush() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        try (PushReceiver receiver = inProcess("outage")) {
            ExecutorService senders = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                done.add(senders.submit(() -> {
                    while (sending.get()) {
                        String id = "outage-" + sequence.incrementAndGet();
                        int status = push(receiver.port(), event(id));
                        if (status == 200) {
                            acknowledged.add(id);
                        } else if (status == 503) {
                            unavailable.incrementAndGet();
                        }
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            awaitAtLeast(acknowledged, 100); // pushes flow straight to the broker before it goes away
            int beforeOutage = acknowledged.size();
            kafka.close();
            Thread.sleep(30_000); // the outage under test: the broker away for 30 s while the senders push
            int duringOutage = acknowledged.size() - beforeOutage;
            kafka = kafka.restart();
            awaitAtLeast(acknowledged, acknowledged.size() + 100); // and flow again once it is back
            sending.set(false);
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
            senders.shutdown();
            assertThat(duringOutage)
                    .as("pushes were acknowledged while the broker was away")
                    .isGreaterThan(100);
            awaitDrained(receiver);
        }
        assertThat(unavailable.get())
                .as("503 only once the spool is full, and it never was")
                .isZero();
        assertThat(idsInTopic()).containsAll(acknowledged);
    }

    /** Waits, up to a minute, until the senders have had {@code count} pushes acknowledged. */
    private static void awaitAtLeast(Set<String> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime()).as("%d pushes acknowledged", count).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aKill9WithPushesInTheSpoolLosesNoneOfThemAfterARestart() throws Exception {
        int port = ReceiverLoad.freePort();
        int opsPort = ReceiverLoad.freePort();
        Path receiverDir = Files.createDirectories(dir.resolve("killed-receiver"));
        Path config =
                ReceiverLoad.receiverConfig(receiverDir, kafka.bootstrapServers(), TOPIC, APP, TOKEN, port, opsPort);
        Set<String> acknowledged = new HashSet<>();
        kafka.close();
        Process first = receive(config, "first");
        try {
            ReceiverLoad.awaitLive(http, opsPort);
            for (int i = 0; i < 40; i++) {
                String id = "killed-" + sequence.incrementAndGet();
                if (push(port, event(id)) == 200) {
                    acknowledged.add(id);
                }
            }
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook runs
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acknowledged)
                .as("acknowledged from the spool, the broker being away")
                .hasSize(40);
        kafka = kafka.restart();
        Process second = receive(config, "second");
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!idsInTopic().containsAll(acknowledged) && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(idsInTopic()).containsAll(acknowledged);
    }

    private PushReceiver inProcess(String name) throws IOException, InterruptedException {
        Properties client = new Properties();
        client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        ReceiverSettings settings = new ReceiverSettings(
                TOPIC,
                "127.0.0.1",
                0,
                256 << 10,
                16 << 10,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                dir.resolve("spool-" + name),
                256L << 20,
                128L << 20,
                "127.0.0.1",
                0);
        return PushReceiver.start(
                settings,
                new AppTokens(Map.of(APP, TOKEN.getBytes(StandardCharsets.UTF_8))),
                client,
                new SimpleMeterRegistry(),
                () -> "");
    }

    private Process receive(Path config, String name) throws IOException {
        Path logs = Path.of("target", "receiver-e2e-logs");
        Files.createDirectories(logs);
        return new ProcessBuilder(ChaosEndToEnd.sluiceCommand(List.of("receive", "--config", config.toString())))
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile())
                .start();
    }

    /** An AppsFlyer in-app event. */
    private static String event(String id) {
        String time = EventTimeParser.formatAppsFlyer(System.currentTimeMillis() - 60_000);
        return "{\"appsflyer_id\":\"" + id + "\",\"event_name\":\"af_purchase\",\"event_time\":\"" + time
                + "\",\"platform\":\"android\"}";
    }

    private int push(int port, String body) throws IOException, InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/push/" + APP))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1; // not acknowledged: the sender would try again
        }
    }

    private Set<String> idsInTopic() {
        return TopicContent.read(kafka.bootstrapServers(), List.of(TOPIC), "read_uncommitted").stream()
                .map(r -> {
                    try {
                        return JSON.readTree(r.value()).get("appsflyer_id").asText();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static void awaitDrained(PushReceiver receiver) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!receiver.spool().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(receiver.spool().isEmpty())
                .as("the spool drained once the broker was back")
                .isTrue();
    }
}
