package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.runtime.SluicePipeline;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.serdes.EventTimeParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sluice run} meets after downtime: a source topic of four partitions holding a
 * backlog of five hours, unevenly spread (one partition holds most of it, so the others drain
 * hours ahead), events from offline devices up to three hours late in event time, and retries that
 * reach another partition a few seconds after their originals. Every distinct event is curated
 * exactly once, while identities are forgotten behind the slowest partition: every partition is
 * heard from first (one record each, just before the backlog) and the idle timeout is cut to 5 s, so
 * that expiry is armed before the backlog is written and runs while it drains. Records written into partitions by hand
 * are partly deduplicated where they are read and partly sent to their identity's partition; a feed keyed by
 * appsflyer_id afterwards never crosses the repartition topic.
 */
class DedupBacklogEndToEndTest {
    private static final String TOPIC = "mmp.appsflyer.events";
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "%s", application.id: backlog, commit.interval.ms: 200 }
            sources:
              - { name: mmp, type: mmp, topics: [%s] }
            pii:
              key: { file: "%s" }
              unlisted: keep
            dedup:
              - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 2h, idleTimeout: 5s }
            topics: { partitions: 4 }
            lake: { uri: "%s", flush: { interval: 1s } }
            schemaRegistry: { url: "mock://backlog-e2e" }
            """;
    private static final int EVENTS = 1_200;
    private static final int KEYED_EVENTS = 300;
    private static final Instant BACKLOG_START =
            Instant.now().minus(Duration.ofHours(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @TempDir
    Path dir;

    @Test
    void drainingAnUnevenBacklogCuratesEveryDistinctEventOnce() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                new TopicProvisioner(admin, Duration.ofSeconds(30))
                        .ensure(
                                List.of(TOPIC),
                                new TopicSettings(Optional.of(4), Optional.empty()),
                                SluicePipeline.TIMESTAMPS_ANY_AGE);
            }
            Path key = dir.resolve("key");
            Files.writeString(key, "backlog-e2e-secret-0123456789-abcdef");
            SluiceConfig config =
                    ConfigLoader.parse(CONFIG.formatted(kafka.bootstrapServers(), TOPIC, key, dir.resolve("lake")));
            SluiceMetrics metrics = new SluiceMetrics(new SimpleMeterRegistry());
            int retries;
            try (SluicePipeline pipeline = SluicePipeline.start(
                    config,
                    config.pii().toPolicy(Map.of()),
                    metrics,
                    config.schemaRegistry().connect(Map.of()),
                    dir.resolve("state"),
                    Map.of())) {
                long started = System.nanoTime();
                produceOnePerPartition(kafka.bootstrapServers());
                pipeline.awaitIdle(Duration.ofMinutes(2));
                Thread.sleep(Math.max(0, Duration.ofSeconds(6).toMillis() - (System.nanoTime() - started) / 1_000_000));
                retries = produceBacklog(kafka.bootstrapServers());
                pipeline.awaitIdle(Duration.ofMinutes(3));
                double local = metrics.total("sluice.dedup.routes", "path", "local");
                double routed = metrics.total("sluice.dedup.routes", "path", "repartition");
                assertThat(local + routed).isEqualTo(4 + EVENTS + retries);
                assertThat(local)
                        .as("records written into partitions by hand: some are already where their identity goes")
                        .isPositive();
                assertThat(routed).as("and the others travel").isPositive();

                // Then a feed keyed by appsflyer_id with Kafka's default partitioner, as sluice receive sends it:
                // every record is deduplicated where it is read, none crosses the repartition topic.
                int keyedRetries = produceKeyed(kafka.bootstrapServers());
                pipeline.awaitIdle(Duration.ofMinutes(2));
                assertThat(metrics.total("sluice.dedup.routes", "path", "repartition"))
                        .isEqualTo(routed);
                assertThat(metrics.total("sluice.dedup.routes", "path", "local"))
                        .isEqualTo(local + KEYED_EVENTS + keyedRetries);
                retries += keyedRetries;
            }

            List<JsonNode> curated =
                    TopicContent.rows(kafka.bootstrapServers(), "curated.mmp.events", "mock://backlog-e2e");
            Map<String, Long> copies = curated.stream()
                    .collect(Collectors.groupingBy(r -> r.get("appsflyer_id").asText(), Collectors.counting()));
            assertThat(copies).hasSize(EVENTS + 4 + KEYED_EVENTS);
            assertThat(copies.values()).as("curated more than once").allMatch(n -> n == 1);
            assertThat(metrics.total("sluice.duplicates.dropped", "source", "mmp"))
                    .isEqualTo(retries);
            assertThat(metrics.total("sluice.dedup.identities.expired", "source", "mmp"))
                    .as("expiry ran during the drain")
                    .isPositive();
        }
    }

    /** One event in each partition, arriving just before the backlog's first: every input is known to every dedup task. */
    private static void produceOnePerPartition(String bootstrap) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int p = 0; p < 4; p++) {
                byte[] event = ("{\"appsflyer_id\":\"first-" + p
                                + "\",\"event_name\":\"af_app_opened\",\"event_time\":\""
                                + EventTimeParser.formatAppsFlyer(backlogStart() - 60_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(TOPIC, p, backlogStart() - 60_000, null, event));
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static long backlogStart() {
        return BACKLOG_START.toEpochMilli();
    }

    /** Originals over five hours of arrivals, most in partition 0; each third retried 3-6 s later into another partition. */
    private static int produceBacklog(String bootstrap) {
        Random random = new Random(17);
        Instant start = BACKLOG_START;
        long span = Duration.ofHours(5).toMillis();
        int retries = 0;
        Function<Integer, Integer> partitionOf = i -> random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(3);
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < EVENTS; i++) {
                long arrival = start.toEpochMilli() + span * i / EVENTS;
                long eventTime =
                        arrival - random.nextInt((int) Duration.ofHours(3).toMillis()); // offline devices
                byte[] event = ("{\"appsflyer_id\":\"af-" + i + "\",\"event_name\":\"af_purchase\",\"event_time\":\""
                                + EventTimeParser.formatAppsFlyer(eventTime) + "\",\"copy\":\"%s\"}")
                        .getBytes(StandardCharsets.UTF_8);
                int partition = partitionOf.apply(i);
                producer.send(new ProducerRecord<>(TOPIC, partition, arrival, null, copy(event, "original")));
                if (i % 3 == 0) {
                    int other = (partition + 1 + random.nextInt(3)) % 4;
                    producer.send(new ProducerRecord<>(
                            TOPIC, other, arrival + 3_000 + random.nextInt(3_000), null, copy(event, "retry")));
                    retries++;
                }
            }
        }
        return retries;
    }

    /** Events keyed by their appsflyer_id, each second one pushed twice; returns the number of copies. */
    private static int produceKeyed(String bootstrap) {
        long arrival = backlogStart() + Duration.ofHours(5).toMillis();
        int copies = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < KEYED_EVENTS; i++) {
                String id = "keyed-" + i;
                byte[] event = ("{\"appsflyer_id\":\"" + id + "\",\"event_name\":\"af_purchase\",\"event_time\":\""
                                + EventTimeParser.formatAppsFlyer(arrival + i) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] key = id.getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(TOPIC, null, arrival + i, key, event));
                if (i % 2 == 0) {
                    producer.send(new ProducerRecord<>(TOPIC, null, arrival + i + 2_000, key, event));
                    copies++;
                }
            }
        }
        return copies;
    }

    private static byte[] copy(byte[] template, String which) {
        return new String(template, StandardCharsets.UTF_8).formatted(which).getBytes(StandardCharsets.UTF_8);
    }
}
