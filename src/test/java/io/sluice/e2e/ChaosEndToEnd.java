package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.SluiceCommand;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.EmbeddedSchemaRegistry;
import io.sluice.replay.InputRecord;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.sinks.CompactionReport;
import io.sluice.sinks.HourlyCompactor;
import io.sluice.sinks.LakeFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chaos case: {@code sluice run} in its own JVM on the real broker and the real registry, fed a
 * {@link ChaosInput} while a subclass injects a fault, then compared with an {@link Uninterrupted}
 * run of the same input: the same curated rows (none lost, none twice), the same Parquet rows per
 * hour, no dead letter, nothing left in tier 0. One broker and one registry per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChaosEndToEnd {
    static final String APPLICATION = "chaos";
    private static final Logger LOG = LoggerFactory.getLogger(ChaosEndToEnd.class);

    Path dir;
    EmbeddedKafka kafka;
    EmbeddedSchemaRegistry registry;
    Path config;
    Path piiKey;
    ChaosInput input;
    ChaosOutcome uninterrupted;

    /** The input this class feeds. */
    ChaosInput input() {
        return ChaosInput.of(3_000);
    }

    /** The registry address {@code sluice run} is given: the registry itself unless a case puts something in between. */
    String registryUrlForSluice() throws IOException {
        return registry.url();
    }

    @BeforeAll
    void startBrokerAndRegistry(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        input = input();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        registry = EmbeddedSchemaRegistry.start(dir.resolve("registry"));
        try (Admin admin = admin()) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .ensure(List.of(ChaosInput.TOPIC), new TopicSettings(Optional.of(2), Optional.empty()), Map.of());
        }
        piiKey = Files.writeString(dir.resolve("key"), "chaos-e2e-secret-0123456789-0123456789");
        config = Files.writeString(
                dir.resolve("sluice.yaml"),
                configuration(kafka.bootstrapServers(), registryUrlForSluice(), lakeSection(lake())));
        Path reference = Files.writeString(
                dir.resolve("uninterrupted.yaml"), configuration("unused:9092", registry.url(), lakeSection(lake())));
        uninterrupted = Uninterrupted.of(input, reference, registry.url(), dir.resolve("uninterrupted"));
        assertThat(uninterrupted.curated())
                .as("the uninterrupted run curates every distinct event")
                .hasSize(input.events());
        assertThat(uninterrupted.lakeRows())
                .as("and compacts each into the lake")
                .isEqualTo(input.events());
    }

    @AfterAll
    void stopBrokerAndRegistry() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The {@code lake:} section for a lake at {@code uri}: objects flushed every second, every closed hour compacted every 2 s. */
    static String lakeSection(Object uri) {
        return "{ uri: \"%s\", flush: { interval: 1s }, compaction: { grace: 0m, interval: 2s, leaseTtl: 6s } }"
                .formatted(uri);
    }

    /** The configuration of this class's application, with the registry address and {@code lake:} section given. */
    String configuration(String bootstrap, String registryUrl, String lakeSection) {
        return """
                kafka: { bootstrap.servers: "%s", application.id: %s, commit.interval.ms: 100 }
                sources:
                  - { name: mmp, type: mmp, topics: [%s] }
                pii:
                  key: { file: "%s" }
                  rules:
                    - { source: mmp, column: "*", action: keep }
                    - { source: mmp, column: appsflyer_id, action: hash }
                dedup:
                  - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 24h }
                topics: { partitions: 2 }
                lake: %s
                http: { enabled: false }
                schemaRegistry: { url: "%s" }
                """.formatted(bootstrap, APPLICATION, ChaosInput.TOPIC, piiKey, lakeSection, registryUrl);
    }

    /** The lake {@code sluice run} writes. */
    Path lake() {
        return dir.resolve("lake");
    }

    /** Starts {@code sluice run} in its own JVM (the application jar where the build made it); its log is {@code logs()/name.log}. */
    Process startSluice(String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(sluiceCommand(List.of(
                "run",
                "--config",
                config.toString(),
                "--state-dir",
                dir.resolve("state").toString())));
        builder.environment().put("SLUICE_INSTANCE_ID", "sluice-0"); // static membership: a restart rejoins at once
        Files.createDirectories(logs());
        builder.redirectErrorStream(true)
                .redirectOutput(logs().resolve(name + ".log").toFile());
        return builder.start();
    }

    Path logs() {
        return Path.of("target", "chaos-logs", getClass().getSimpleName());
    }

    /** The command that runs {@code sluice} in its own JVM: the application jar where the build made it, else this classpath. */
    static List<String> sluiceCommand(List<String> arguments) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m"));
        Path jar = applicationJar();
        if (jar != null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), SluiceCommand.class.getName()));
        }
        command.addAll(arguments);
        return command;
    }

    /** Produces records and waits until the broker has them all (idempotent, so a broker restart repeats none). */
    void feed(List<InputRecord> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (InputRecord r : records) {
                producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        "true",
                        ProducerConfig.LINGER_MS_CONFIG,
                        "5",
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        "300000",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        "120000"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** The curated topic's end offsets summed: it grows as the application commits (and aborts) transactions. */
    long curatedEnd() throws Exception {
        try (Admin admin = admin()) {
            return new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .endOffsets(List.of(ChaosOutcome.CURATED_TOPIC)).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
        }
    }

    /** How many committed rows the curated topic holds. */
    int curatedRows() {
        return TopicContent.read(kafka.bootstrapServers(), List.of(ChaosOutcome.CURATED_TOPIC), "read_committed")
                .size();
    }

    /**
     * The end of a case: every distinct event curated, every input, repartition and curated record
     * consumed and committed (only then can no further copy come), {@code sluice run} stopped as a
     * pod is, and the last compaction pass (the CronJob's) run; returns what the run left.
     */
    ChaosOutcome finish(Process sluice, Duration timeout) throws Exception {
        try {
            await("every distinct event curated", timeout, () -> curatedRows() >= input.events());
            awaitConsumed(APPLICATION, List.of(ChaosInput.TOPIC, APPLICATION + "-dedup-mmp-repartition"), timeout);
            awaitConsumed(APPLICATION + "-lake", List.of(ChaosOutcome.CURATED_TOPIC), timeout);
        } finally {
            sluice.destroy();
            if (!sluice.waitFor(60, TimeUnit.SECONDS)) {
                sluice.destroyForcibly();
            }
        }
        SluiceConfig loaded = ConfigLoader.load(config);
        LakeFileSystem lake = loaded.lake().open();
        // A killed pass's claim lives out its ttl (6 s) before the last pass may take the lease.
        CompactionReport last = new HourlyCompactor(
                        lake, loaded.lake().compaction().waitingForLease(Duration.ofSeconds(30)))
                .compact(hour -> true);
        assertThat(last.skippedForLease()).as("the last pass got the lease").isFalse();
        assertThat(last.failedHours()).as("no hour failed").isEmpty();
        return ChaosOutcome.read(kafka.bootstrapServers(), registry.url(), lake);
    }

    /** The comparison every case ends with. */
    void assertSameAsUninterrupted(ChaosOutcome outcome) throws Exception {
        assertThat(outcome.curated())
                .as("curated rows: no record lost, none duplicated")
                .hasSize(input.events())
                .doesNotHaveDuplicates()
                .isEqualTo(uninterrupted.curated());
        assertThat(outcome.lakeCounts()).as("Parquet rows per hour").isEqualTo(uninterrupted.lakeCounts());
        assertThat(outcome.lake()).as("the same Parquet rows in each hour").isEqualTo(uninterrupted.lake());
        assertThat(Tier0Objects.under(lake()))
                .as("every tier-0 object compacted")
                .isEmpty();
        assertThat(deadLetters()).as("a transient fault is never dead-lettered").isZero();
        LOG.info(
                "{}: {} curated rows and lake {} equal to the uninterrupted run",
                getClass().getSimpleName(),
                outcome.curated().size(),
                outcome.lakeCounts());
    }

    private long deadLetters() throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains("sluice.dlq")) {
                return 0;
            }
        }
        return TopicContent.read(kafka.bootstrapServers(), List.of("sluice.dlq"), "read_committed")
                .size();
    }

    /** Waits until the group's committed offsets reach the end of every partition of the topics. */
    void awaitConsumed(String group, List<String> topics, Duration timeout) throws Exception {
        try (Admin admin = admin()) {
            TopicProvisioner info = new TopicProvisioner(admin, Duration.ofSeconds(30));
            await(group + " consumed " + topics, timeout, () -> {
                try {
                    Map<TopicPartition, Long> ends = info.endOffsets(topics);
                    var committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get();
                    return ends.entrySet().stream()
                            .allMatch(e -> committed.get(e.getKey()) != null
                                    && committed.get(e.getKey()).offset() >= e.getValue());
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /** Polls a condition every 20 ms until it holds; fails naming it after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** The shaded application jar the build made before this module ran ({@code mvn verify}), or null under {@code mvn test}. */
    static Path applicationJar() {
        Path target = Path.of("..", "application", "target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("sluice-application-.*-app\\.jar"))
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
