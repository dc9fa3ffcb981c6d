package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.SluiceCommand;
import io.sluice.config.TopicSettings;
import io.sluice.runtime.EmbeddedKafka;
import io.sluice.runtime.EmbeddedSchemaRegistry;
import io.sluice.runtime.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash in the middle of a stream: {@code sluice run} in its own JVM is killed with SIGKILL while
 * it works through events with duplicates (so mid-transaction, with dedup state half written), then
 * started again. Every distinct event must be in the curated topic exactly once: none lost, none
 * repeated by the replay after the crash, none mistaken for its own duplicate.
 */
class ExactlyOnceCrashEndToEndTest {
    private static final int EVENTS = 20_000;
    private static final int DUPLICATES = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = System.currentTimeMillis();

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static Path config;
    static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        registry = EmbeddedSchemaRegistry.start(dir.resolve("registry")); // the child JVMs need a registry outside them
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // The provisioner waits until the partitions answer: producing right after creation can lose records (KAFKA-15591).
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(List.of("mmp.appsflyer.events"),
                    new TopicSettings(Optional.of(2), Optional.empty()), Map.of());
        }
        Path key = dir.resolve("key");
        Files.writeString(key, "crash-e2e-secret-0123456789-0123456789");
        config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                kafka: { bootstrap.servers: "%s", application.id: crash-e2e, commit.interval.ms: 100 }
                sources:
                  - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] }
                pii:
                  key: { file: "%s" }
                  rules:
                    - { source: mmp, column: "*", action: keep }
                    - { source: mmp, column: appsflyer_id, action: hash }
                dedup:
                  - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 24h }
                topics: { partitions: 2 }
                lake: { uri: "%s" }
                http: { enabled: false }
                schemaRegistry: { url: "%s" }
                """.formatted(kafka.bootstrapServers(), key, dir.resolve("lake"), registry.url()));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyDistinctEventIsCuratedExactlyOnceAcrossAKill() throws Exception {
        produceEventsWithDuplicates();
        assertThat(TopicContent.read(kafka.bootstrapServers(), List.of("mmp.appsflyer.events"), "read_committed"))
                .as("the broker has every input record").hasSize(EVENTS + DUPLICATES);

        Process first = run("first");
        awaitCurated(EVENTS / 5, Duration.ofSeconds(120));
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int seenAtCrash = curatedSequences().size();
        assertThat(seenAtCrash).as("killed mid-stream").isLessThan(EVENTS);

        Process second = run("second");
        try {
            awaitCurated(EVENTS, Duration.ofSeconds(60));
            // Only once every input and repartition record is consumed and committed can no extra copy still come.
            awaitConsumed(List.of("mmp.appsflyer.events", "crash-e2e-dedup-mmp-repartition"), Duration.ofSeconds(60));
            List<Integer> sequences = curatedSequences();
            Set<Integer> distinct = new HashSet<>(sequences);
            assertThat(distinct).hasSize(EVENTS);
            assertThat(sequences).as("no event twice").hasSize(EVENTS);
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void produceEventsWithDuplicates() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, "5"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                String event = event(i);
                producer.send(new ProducerRecord<>("mmp.appsflyer.events", i % 2, null, event));
                if (i % (EVENTS / DUPLICATES) == 0) {
                    producer.send(new ProducerRecord<>("mmp.appsflyer.events", (i + 1) % 2, null, event)); // the retry lands elsewhere
                }
            }
            producer.flush();
        }
    }

    private static String event(int seq) {
        // Recent event times, as live traffic has: changelogs of windowed state are retained by time too.
        long at = START - Duration.ofHours(4).toMillis() + seq * 500L;
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochMilli(at));
        return "{\"appsflyer_id\":\"af-" + seq + "\",\"event_name\":\"af_app_opened\",\"event_time\":\"" + time
                + "\",\"platform\":\"android\",\"custom_data\":\"" + seq + "\"}";
    }

    private static Process run(String name) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), SluiceCommand.class.getName(),
                "run", "--config", config.toString(), "--state-dir", dir.resolve("state").toString());
        builder.environment().put("SLUICE_INSTANCE_ID", "sluice-0"); // static membership: the restart rejoins at once
        Path logs = Path.of("target", "crash-e2e-logs");
        Files.createDirectories(logs);
        builder.redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        return builder.start();
    }

    /** Waits until the application's committed offsets reach the end of every partition of the topics. */
    private static void awaitConsumed(List<String> topics, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner topicsInfo = new TopicProvisioner(admin, Duration.ofSeconds(30));
            while (true) {
                Map<org.apache.kafka.common.TopicPartition, Long> ends = topicsInfo.endOffsets(topics);
                var committed = admin.listConsumerGroupOffsets("crash-e2e").partitionsToOffsetAndMetadata().get();
                boolean done = ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    return;
                }
                assertThat(System.nanoTime()).as("committed offsets reach the end of " + topics).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private static List<Integer> awaitCurated(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Integer> sequences = curatedSequences();
            if (sequences.size() >= count) {
                return sequences;
            }
            if (System.nanoTime() > deadline) {
                Set<Integer> missing = new java.util.TreeSet<>();
                for (int i = 0; i < count && i < EVENTS; i++) {
                    missing.add(i);
                }
                missing.removeAll(sequences);
                StringBuilder where = new StringBuilder();
                for (String topic : List.of("crash-e2e-dedup-mmp-repartition", "crash-e2e-dedup-mmp-store-changelog")) {
                    for (String isolation : List.of("read_committed", "read_uncommitted")) {
                        long found = TopicContent.read(kafka.bootstrapServers(), List.of(topic), isolation).stream()
                                .filter(r -> r.value() != null && missing.stream().anyMatch(m -> new String(r.value(),
                                        java.nio.charset.StandardCharsets.UTF_8).contains("\"custom_data\":\"" + m + "\"")
                                        || new String(r.key(), java.nio.charset.StandardCharsets.UTF_8).contains("af-" + m)))
                                .count();
                        where.append(topic).append(' ').append(isolation).append('=').append(found).append("; ");
                    }
                }
                throw new AssertionError("curated records: have " + sequences.size() + ", missing " + missing.size() + ": "
                        + missing.stream().limit(50).toList() + " / " + where);
            }
            Thread.sleep(100);
        }
    }

    private static List<Integer> curatedSequences() throws Exception {
        List<Integer> sequences = new java.util.ArrayList<>();
        for (JsonNode row : TopicContent.rows(kafka.bootstrapServers(), "curated.mmp.events", registry.url())) {
            sequences.add(row.get("custom_data").asInt());
        }
        return sequences;
    }
}
