package io.sluice.replay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.ConfigException;
import io.sluice.config.SchemaRegistryConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.EmbeddedSchemaRegistry;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.pii.MaskingPolicy;
import io.sluice.runtime.ClientProperties;
import io.sluice.runtime.SluicePipeline;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.sinks.CompactionReport;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.Tier0Buffer;
import io.sluice.topology.TopologyNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline over a finite input on the embedded broker: produce the input, run the
 * topology and the lake sink until idle, compact every hour (the input is complete, so no grace is
 * awaited), and dump every topic Sluice wrote. Shared by {@code sluice replay} and {@code sluice demo}.
 * When the configuration names no schema registry, a real one (Apicurio) is started as a child
 * process for the run and stopped by {@link #close()} (the {@code run} methods close it themselves).
 */
public final class EmbeddedRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRun.class);
    /** The embedded broker keeps everything: recorded events may be older than any retention. */
    private static final Map<String, String> KEEP_FOREVER = Map.of("retention.ms", "-1");

    private final SluiceConfig config;
    private final Map<String, String> environment;
    private final Duration idleTimeout;
    private EmbeddedSchemaRegistry startedRegistry;
    private InputFeed feed = EmbeddedRun::produce;

    /** How the input reaches the source topics of an embedded run. */
    @FunctionalInterface
    public interface InputFeed {
        /** Writes the inputs into their topics on the embedded broker {@code config} names, and returns once they are in. */
        void feed(SluiceConfig config, List<InputRecord> inputs) throws InterruptedException;
    }

    /**
     * @param config      the configuration; its Kafka address and lake location are replaced
     * @param environment where secrets are read from
     * @param idleTimeout how long the pipeline may take to process the input
     */
    public EmbeddedRun(SluiceConfig config, Map<String, String> environment, Duration idleTimeout) {
        this.config = config;
        this.environment = environment;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Runs.
     *
     * @param inputs   the records to produce, in order
     * @param workDir  the broker's data goes under it
     * @param lakeDir  the lake
     * @param outDir   topic dumps go here
     * @param stateDir Kafka Streams state
     */
    public Result run(List<InputRecord> inputs, Path workDir, Path lakeDir, Path outDir, Path stateDir)
            throws InterruptedException {
        config.pii().toPolicy(environment); // a bad key fails before a broker starts
        checkTopics(inputs);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"))) {
            return run(kafka, inputs, lakeDir, outDir, stateDir);
        } finally {
            close();
        }
    }

    /**
     * Runs on a broker the caller owns, which stays up afterwards (for tests that inspect every topic).
     *
     * @param kafka    the broker
     * @param inputs   the records to produce, in order
     * @param lakeDir  the lake
     * @param outDir   topic dumps go here
     * @param stateDir Kafka Streams state
     */
    public Result run(EmbeddedKafka kafka, List<InputRecord> inputs, Path lakeDir, Path outDir, Path stateDir)
            throws InterruptedException {
        try {
            return compactAndDump(process(kafka, inputs, lakeDir, stateDir), outDir);
        } finally {
            close();
        }
    }

    /** Stops the schema registry this run started, if any. */
    @Override
    public void close() {
        if (startedRegistry != null) {
            startedRegistry.close();
            startedRegistry = null;
        }
    }

    /**
     * The first half of a run: produce, and run the pipeline until idle. Tier 0 is then complete
     * and not yet compacted.
     */
    public Processed process(EmbeddedKafka kafka, List<InputRecord> inputs, Path lakeDir, Path stateDir)
            throws InterruptedException {
        MaskingPolicy policy = config.pii().toPolicy(environment);
        checkTopics(inputs);
        long started = System.nanoTime();
        SluiceConfig embedded = config.withSchemaRegistry(registryConfig(stateDir))
                .withKafka(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .withLake(config.lake()
                        .at(lakeDir.toAbsolutePath().toUri().toString())
                        .withFlush(new Tier0Buffer.FlushPolicy(
                                config.lake().flush().maxRecords(),
                                config.lake().flush().maxBytes(),
                                Duration.ofSeconds(1))));
        createInputTopics(embedded, inputs);
        feed.feed(embedded, inputs);
        SluiceMetrics metrics = new SluiceMetrics(new SimpleMeterRegistry());
        SchemaRegistry registry = embedded.schemaRegistry().connect(environment);
        try (SluicePipeline pipeline =
                SluicePipeline.start(embedded, policy, metrics, registry, stateDir, KEEP_FOREVER)) {
            pipeline.awaitIdle(idleTimeout);
            if (!embedded.aggregates().isEmpty()) {
                // The input is complete: advance every aggregate's stream time so that its last windows close.
                WindowWatermark.send(embedded);
                pipeline.awaitIdle(idleTimeout);
            }
        }
        return new Processed(embedded, inputs.size(), metrics, started, kafka.bootstrapServers(), registry);
    }

    /** The configured registry, or a real one started for this run (its log beside the state directory). */
    private SchemaRegistryConfig registryConfig(Path stateDir) {
        if (config.schemaRegistry() != null) {
            return config.schemaRegistry();
        }
        if (startedRegistry == null) {
            startedRegistry =
                    EmbeddedSchemaRegistry.start(stateDir.toAbsolutePath().resolveSibling("schema-registry"));
        }
        return SchemaRegistryConfig.of(startedRegistry.url());
    }

    /** The second half of a run: compact every hour (the input is complete) and dump every output topic. */
    public Result compactAndDump(Processed processed, Path outDir) {
        SluiceConfig embedded = processed.config();
        LakeFileSystem lake = embedded.lake().open();
        CompactionReport compaction = config.lake().compactor(lake).compact(hour -> true);
        processed.metrics().lake().compaction(compaction, false);
        Map<String, Long> dumped =
                new TopicDumper(embedded.kafka(), processed.registry()).dump(TopologyNames.outputs(embedded), outDir);
        return new Result(
                processed.inputRecords(),
                dumped,
                compaction,
                processed.metrics(),
                lake,
                Duration.ofNanos(System.nanoTime() - processed.startedNanos()),
                processed.bootstrap(),
                schemaVersions(embedded, processed.registry()));
    }

    /** The latest schema version of each curated and aggregate topic that got one. */
    private static Map<String, Integer> schemaVersions(SluiceConfig config, SchemaRegistry registry) {
        Map<String, Integer> versions = new java.util.LinkedHashMap<>();
        for (String topic : TopologyNames.outputs(config)) {
            String subject = config.schemaRegistry().strategy() == io.sluice.serdes.registry.SubjectNameStrategy.TOPIC
                    ? topic + "-value"
                    : null;
            if (subject == null) {
                continue; // record-named subjects are not derivable from the topic alone
            }
            try {
                versions.put(topic, registry.latest(subject).version());
            } catch (io.sluice.serdes.registry.SchemaRegistryException e) {
                // no Avro output on this topic (the dead-letter topic), or none written
            }
        }
        return versions;
    }

    /**
     * A processed input, before compaction.
     *
     * @param config       the configuration as run (embedded broker, lake location)
     * @param inputRecords records produced
     * @param metrics      the pipeline's meters
     * @param startedNanos when the run started
     * @param bootstrap    the broker's address
     * @param registry     the schema registry the run wrote to
     */
    public record Processed(
            SluiceConfig config,
            int inputRecords,
            SluiceMetrics metrics,
            long startedNanos,
            String bootstrap,
            SchemaRegistry registry) {}

    private void checkTopics(List<InputRecord> inputs) {
        Set<String> known = new HashSet<>(TopologyNames.inputs(config));
        for (InputRecord record : inputs) {
            if (!known.contains(record.topic())) {
                throw new ConfigException(
                        "--input",
                        "topic '" + record.topic() + "' is not read by any configured source; sources read " + known);
            }
        }
    }

    private static void createInputTopics(SluiceConfig config, List<InputRecord> inputs) {
        Map<String, Integer> partitions = new HashMap<>();
        for (InputRecord record : inputs) {
            if (record.partition() != null) {
                partitions.merge(record.topic(), record.partition() + 1, Math::max);
            }
        }
        try (Admin admin = Admin.create(ClientProperties.admin(config.kafka()))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(60));
            for (String topic : TopologyNames.inputs(config)) {
                // Recorded history replays in order on one partition unless the input names partitions.
                int count = Math.max(1, partitions.getOrDefault(topic, 0));
                provisioner.ensure(
                        List.of(topic), new TopicSettings(Optional.of(count), Optional.empty()), KEEP_FOREVER);
            }
        }
    }

    /** The same run with its input written by {@code other} (the demo pushes its MMP events through the receiver). */
    public EmbeddedRun feedingWith(InputFeed other) {
        this.feed = other;
        return this;
    }

    /** Produces the inputs straight into their topics, idempotently, and waits until the broker has them all. */
    public static void produce(SluiceConfig config, List<InputRecord> inputs) throws InterruptedException {
        Properties props = ClientProperties.producer(config.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(inputs.size());
            for (InputRecord r : inputs) {
                sent.add(producer.send(
                        new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value())));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not produce the input records: " + e.getCause(), e.getCause());
        }
        LOG.info(
                "produced {} input records in {} ms",
                inputs.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Deletes a directory tree, for temporary work directories. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /**
     * What a run did.
     *
     * @param inputRecords records produced into the source topics
     * @param dumped       records per output topic
     * @param compaction   the final compaction pass
     * @param metrics      the pipeline's meters
     * @param lake         the lake
     * @param took         wall time from broker start to the end of compaction and dumps
     * @param bootstrap    the embedded broker's address (gone after the run)
     * @param schemaVersions the latest registered schema version per Avro output topic
     */
    public record Result(
            int inputRecords,
            Map<String, Long> dumped,
            CompactionReport compaction,
            SluiceMetrics metrics,
            LakeFileSystem lake,
            Duration took,
            String bootstrap,
            Map<String, Integer> schemaVersions) {}
}
