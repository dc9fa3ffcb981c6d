package io.sluice.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.SluiceConfig;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.pii.MaskingPolicy;
import io.sluice.replay.EmbeddedRun;
import io.sluice.runtime.ClientProperties;
import io.sluice.runtime.SluicePipeline;
import io.sluice.runtime.StreamsSettings;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.topology.SluiceTopology;
import io.sluice.topology.TopologyNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * A Kafka Streams step of the ladder, (b) to (g): the step's topology — a stateless pass-through
 * for (b), Sluice's own for the rest, built from the step's configuration — on fresh topics, state
 * and consumer group, sampled from before it starts until its committed lag is zero.
 */
final class StreamsStep implements AutoCloseable {
    private final LadderStep step;
    private final SluiceConfig config;
    private final KafkaStreams streams;
    private final SluiceMetrics metrics;
    private final Path stateDir;
    private final LongSupplier processed;
    private final DrainSampler sampler;
    private volatile Throwable failure;

    private StreamsStep(
            LadderStep step,
            SluiceConfig config,
            KafkaStreams streams,
            SluiceMetrics metrics,
            Path stateDir,
            long brokerPid) {
        this.step = step;
        this.config = config;
        this.streams = streams;
        this.metrics = metrics;
        this.stateDir = stateDir;
        List<Metric> counters = processedCounters(streams);
        this.processed = () -> counters.stream()
                .mapToLong(m -> ((Number) m.metricValue()).longValue())
                .sum();
        this.sampler = new DrainSampler(processed, brokerPid);
    }

    /**
     * Creates the step's topics and starts it.
     *
     * @param config   the step's configuration ({@link LadderConfigs#forStep})
     * @param policy   the step's masking policy
     * @param registry the step's schema registry
     * @param workDir  the step's state directory goes under it
     */
    static StreamsStep start(
            LadderStep step,
            SluiceConfig config,
            MaskingPolicy policy,
            SchemaRegistry registry,
            Path workDir,
            BenchTopics topics,
            long brokerPid) {
        SluiceMetrics metrics = new SluiceMetrics(new SimpleMeterRegistry());
        Topology topology;
        if (step == LadderStep.STREAMS_PASS_THROUGH) {
            topology = passThrough(TopologyNames.inputs(config));
            topics.create(
                    TopologyNames.inputs(config).stream()
                            .map(t -> LadderConfigs.passThroughTopic(step, t))
                            .toList(),
                    config.topics().partitions());
        } else {
            try (Admin admin = Admin.create(ClientProperties.admin(config.kafkaProperties(System.getenv())))) {
                SluicePipeline.createTopics(config, admin, Map.of());
                topology = SluiceTopology.build(
                        config, policy, metrics.topology(), registry, SluicePipeline.dedupPartitions(config, admin));
            }
        }
        Path stateDir = workDir.resolve("state-" + step.letter());
        KafkaStreams streams = new KafkaStreams(topology, StreamsSettings.of(config, stateDir));
        StreamsStep running = new StreamsStep(step, config, streams, metrics, stateDir, brokerPid);
        streams.setUncaughtExceptionHandler(e -> {
            running.failure = e;
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        return running;
    }

    /** Waits until the step has committed the end of its input and internal topics; returns its processing window. */
    DrainWindow awaitDrained(long records, BenchTopics topics, Duration timeout) throws InterruptedException {
        List<String> consumed = new ArrayList<>(TopologyNames.inputs(config));
        consumed.addAll(TopologyNames.internal(config));
        topics.awaitCaughtUp(config.applicationId(), consumed, timeout, this::checkHealthy);
        return sampler.finish(records);
    }

    /** Records (input and repartitioned) processed so far. */
    long processed() {
        return processed.getAsLong();
    }

    /**
     * Waits until the step has processed {@code count} records (input and repartitioned), for a warm-up; returns false
     * early when it has processed nothing for {@code idle} (its input is exhausted).
     */
    boolean awaitProcessed(long count, Duration idle, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = processed.getAsLong();
        long lastProgress = System.nanoTime();
        while (last < count) {
            checkHealthy();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the warm-up did not process " + count + " records within " + timeout);
            }
            Thread.sleep(100);
            long now = processed.getAsLong();
            if (now > last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > idle.toNanos()) {
                return false;
            }
        }
        return true;
    }

    /** Throws if the step's Kafka Streams client has failed. */
    void checkHealthy() {
        if (failure != null
                || streams.state() == KafkaStreams.State.ERROR
                || streams.state() == KafkaStreams.State.PENDING_ERROR) {
            throw new IllegalStateException("step " + step.label() + " failed", failure);
        }
    }

    /** Identities in the step's dedup stores (RocksDB's estimate), or -1 if it deduplicates nothing. */
    long liveDedupKeys() {
        if (config.dedup().isEmpty()) {
            return -1;
        }
        return (long) streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("estimate-num-keys")
                        && e.getKey().tags().values().stream()
                                .anyMatch(v -> v.startsWith("dedup-") && v.endsWith("-store")))
                .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0)
                .sum();
    }

    /** Bytes of the step's state stores on disk. */
    long stateBytes() {
        if (!Files.isDirectory(stateDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the step's meters counted that a reader of the report should know: duplicates dropped, dead letters, late records. */
    String counts() {
        return String.format(
                java.util.Locale.ROOT,
                "%,d duplicates dropped, %,d late records left out of windows, %,d dead-lettered",
                (long) metrics.total("sluice.duplicates.dropped"),
                (long) metrics.total("sluice.late.records.dropped"),
                (long) metrics.total("sluice.dlq.records"));
    }

    SluiceConfig config() {
        return config;
    }

    /** Stops the step and removes its state. Its topics stay until the bench deletes them. */
    @Override
    public void close() {
        sampler.close();
        streams.close(Duration.ofSeconds(30));
        EmbeddedRun.deleteTree(stateDir);
    }

    private static Topology passThrough(List<String> inputs) {
        Topology topology = new Topology();
        for (String input : inputs) {
            topology.addSource(
                    "source-" + input,
                    Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer(),
                    input);
            topology.addSink(
                    "sink-" + input,
                    LadderConfigs.passThroughTopic(LadderStep.STREAMS_PASS_THROUGH, input),
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer(),
                    "source-" + input);
        }
        return topology;
    }

    /** Each stream thread's count of processed records (thread-level, recorded at INFO). */
    private static List<Metric> processedCounters(KafkaStreams streams) {
        List<Metric> counters = new ArrayList<>();
        streams.metrics().forEach((name, metric) -> {
            if (name.name().equals("process-total") && name.group().equals("stream-thread-metrics")) {
                counters.add(metric);
            }
        });
        if (counters.isEmpty()) {
            throw new IllegalStateException("Kafka Streams exposes no process-total metric; cannot measure the step");
        }
        return counters;
    }
}
