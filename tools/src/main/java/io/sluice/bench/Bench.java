package io.sluice.bench;

import io.sluice.config.ConfigException;
import io.sluice.config.PiiConfig;
import io.sluice.config.SchemaRegistryConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.pii.MaskingPolicy;
import io.sluice.runtime.StreamsSettings;
import io.sluice.topology.TopologyNames;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ladder: starts the broker in its own process, pre-loads generated input shaped like
 * the configured sources, runs each step on it with fresh topics, group and state, measures, and
 * returns everything the report states.
 */
final class Bench {
    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
    /** Used only when the configured PII key's variable is not set: the bench's input is synthetic. */
    private static final String BENCH_KEY = "sluice-bench-throwaway-key-synthetic-data-only";
    /** Records (input and repartitioned) per chunk of the warm-up. */
    private static final long WARM_UP_RECORDS = 50_000;
    /** Most rounds of the warm-up over the whole input. */
    private static final int WARM_UP_ROUNDS = 4;
    /** The warm-up ends once JIT compilation took less than this share of a chunk's wall time. */
    private static final double WARM_UP_JIT_SHARE = 0.05;

    private final SluiceConfig config;
    private final Map<String, String> environment;
    private final BenchSettings settings;

    Bench(SluiceConfig config, Map<String, String> environment, BenchSettings settings) {
        this.config = config;
        this.environment = environment;
        this.settings = settings;
    }

    BenchRun run(String command) throws IOException, InterruptedException {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        String loadBefore = MachineInfo.loadAverage();
        List<String> setup = new ArrayList<>();
        MaskingPolicy policy = policy(setup);
        StreamsSettings.of(config, settings.workDir()); // bad Kafka settings fail before a broker starts
        Optional<LatencyCarrier> carrier = LatencyCarrier.find(config, policy);
        Path work = settings.workDir();
        List<StepResult> results = new ArrayList<>();
        List<String> input = new ArrayList<>();
        try (BenchCluster broker = openCluster(work);
                Admin admin = Admin.create(broker.clients().properties())) {
            BenchTopics topics = new BenchTopics(admin);
            List<String> inputs = TopologyNames.inputs(config);
            long hourMs = Duration.ofHours(1).toMillis();
            // Ends three hours ago, so that late arrivals (two hours after their event) are not in the future.
            long startMs = (System.currentTimeMillis() / hourMs - settings.hours() - 3) * hourMs;
            BenchInput source = new BenchInput(config, settings.records(), startMs, Duration.ofHours(settings.hours()));
            long loaded = source.load(broker.clients(), topics);
            describeInput(input, loaded, source.perTopic(), startMs);
            describeSetup(setup, broker, carrier);

            LadderStep lastStreams = settings.steps().stream()
                    .filter(s -> s.includes(LadderStep.DECODE_ENCODE))
                    .reduce((a, b) -> b)
                    .orElse(null);
            boolean lakeSteps = settings.steps().stream().anyMatch(s -> s.kind() == LadderStep.Kind.LAKE);
            WarmUp warmed = warmUp(broker, policy, topics);
            setup.add(String.format(
                    Locale.ROOT,
                    "Before the steps, an unmeasured warm-up ran the whole pipeline over the input in %d "
                            + "round(s), %,d records processed (input and repartitioned), until JIT compilation took %.0f%% of the time (it stops "
                            + "under %.0f%%, or after %d rounds), so that no step pays alone for compiling code, nor loses CPU to the compilers on "
                            + "a small machine.",
                    warmed.rounds(),
                    warmed.records(),
                    100 * warmed.jitShare(),
                    100 * WARM_UP_JIT_SHARE,
                    WARM_UP_ROUNDS));
            LakeSteps lake = new LakeSteps(work.resolve("lake"), config.lake().compaction(), broker.pid());
            for (LadderStep step : settings.steps()) {
                LOG.info("step {}: {}", step.label(), step.adds());
                switch (step.kind()) {
                    case CLIENTS -> results.add(bareClients(broker, inputs, loaded, topics));
                    case STREAMS -> {
                        StepResult result = streamsStep(
                                step, broker, policy, carrier, loaded, topics, lake, lakeSteps && step == lastStreams);
                        results.add(result);
                        if (result.latency() != null && step != lastStreams) {
                            source.reload(
                                    broker.clients(), topics); // the next steps drain the same input, nothing more
                        }
                    }
                    case LAKE -> {
                        if (lastStreams == null) {
                            throw new ConfigException(
                                    "--steps",
                                    "the lake steps (h) and (i) need a curated step, (c) to (g), before them");
                        }
                        results.add(step == LadderStep.BARE_PARQUET ? lake.bareWriter() : lake.compactor());
                    }
                }
                // the machine's load while the step ran: the 1-minute figure, read as it ends
                int last = results.size() - 1;
                results.set(
                        last,
                        results.get(last).withNote("Load average at its end: " + MachineInfo.loadAverage() + "."));
                LOG.info("step {} done: {}", step.label(), results.get(last));
            }
            if (settings.configuredCluster()) {
                topics.deleteAll(inputs, null); // the generated input: a cluster not the bench's own is left as found
            }
        }
        return new BenchRun(
                command,
                MachineInfo.current(),
                Runtime.getRuntime().maxMemory(),
                loadBefore,
                MachineInfo.loadAverage(),
                startedAt,
                Duration.ofNanos(System.nanoTime() - started),
                input,
                setup,
                results);
    }

    /**
     * The embedded broker, started now, or the configured cluster once it is known to hold none of
     * the topics the ladder writes to and deletes.
     */
    private BenchCluster openCluster(Path work) throws InterruptedException {
        if (!settings.configuredCluster()) {
            return BrokerProcess.start(work.resolve("broker"), work.resolve("broker.log"));
        }
        ClusterClients clients = ClusterClients.configured(config.kafkaProperties(environment));
        try (Admin admin = Admin.create(clients.properties())) {
            return ConfiguredCluster.claim(clients, admin, ladderTopics());
        }
    }

    /** Every topic the ladder creates, writes to or deletes, besides those of its application ids. */
    private Set<String> ladderTopics() {
        Set<String> topics = new TreeSet<>(TopologyNames.inputs(config));
        topics.addAll(TopologyNames.outputs(config));
        for (LadderStep step : List.of(LadderStep.BARE_CLIENTS, LadderStep.STREAMS_PASS_THROUGH)) {
            TopologyNames.inputs(config).forEach(t -> topics.add(LadderConfigs.passThroughTopic(step, t)));
        }
        return topics;
    }

    private StepResult bareClients(BenchCluster broker, List<String> inputs, long records, BenchTopics topics)
            throws InterruptedException {
        StepMemory memory = StepMemory.start();
        DrainWindow window =
                PassThroughStep.run(broker.clients(), inputs, records, broker.pid(), topics, settings.stepTimeout());
        StepResult result = new StepResult(LadderStep.BARE_CLIENTS, window, null, memory.figures(), -1, -1, "");
        topics.deleteAll(
                inputs.stream()
                        .map(t -> LadderConfigs.passThroughTopic(LadderStep.BARE_CLIENTS, t))
                        .toList(),
                null);
        return result;
    }

    private StepResult streamsStep(
            LadderStep step,
            BenchCluster broker,
            MaskingPolicy configuredPolicy,
            Optional<LatencyCarrier> carrier,
            long records,
            BenchTopics topics,
            LakeSteps lake,
            boolean fillLake)
            throws InterruptedException {
        SchemaRegistryConfig registryConfig = LadderConfigs.registry(step, config);
        SluiceConfig stepConfig = LadderConfigs.forStep(step, config, broker.bootstrapServers(), registryConfig);
        var registry = registryConfig.connect(environment);
        StepMemory memory = StepMemory.start();
        StepResult result;
        try (StreamsStep running = StreamsStep.start(
                step,
                stepConfig,
                LadderConfigs.policy(step, configuredPolicy),
                registry,
                settings.workDir(),
                topics,
                broker.pid())) {
            DrainWindow window = running.awaitDrained(records, topics, settings.stepTimeout());
            LatencyFigures latency = null;
            List<String> notes = new ArrayList<>();
            if (step.includes(LadderStep.DECODE_ENCODE)) {
                notes.add(running.counts() + " while draining.");
            }
            if (settings.latencySteps().contains(step)
                    && !settings.latencyDuration().isZero()) {
                if (carrier.isPresent()) {
                    double rate = settings.rate().orElse(window.recordsPerSecond() / 2);
                    latency = LatencyProbe.run(
                            config, broker.clients(), carrier.get(), registry, rate, settings.latencyDuration());
                    running.checkHealthy();
                    notes.add(String.format(
                            Locale.ROOT,
                            "Latency: open loop at %,.0f records/s (%s) for %d s, %,d samples from %s (field %s), "
                                    + "first %.1f s not counted; max %,.0f ms.",
                            rate,
                            settings.rate().isPresent() ? "--rate" : "half the measured drain rate",
                            settings.latencyDuration().toSeconds(),
                            latency.samples(),
                            carrier.get().curatedTopic(),
                            carrier.get().field(),
                            LatencyProbe.warmUp(settings.latencyDuration()).toMillis() / 1000.0,
                            latency.maxMillis()));
                } else {
                    notes.add(
                            "Latency not measured: the policy keeps no field that could carry the send time unchanged "
                                    + "(an MMP af_sub1–5, or a CDC column matched by a wildcard keep rule).");
                }
            }
            long dedupKeys = running.liveDedupKeys();
            if (dedupKeys >= 0) {
                notes.add(
                        String.format(Locale.ROOT, "~%,d live identities in the dedup stores at the end.", dedupKeys));
            }
            if (step == LadderStep.DEDUP && config.dedup().isEmpty()) {
                notes.add("No dedup: section in the configuration: the same work as (d).");
            }
            if (step == LadderStep.AGGREGATES_AND_DIMENSIONS
                    && config.aggregates().isEmpty()
                    && config.dimensions().isEmpty()) {
                notes.add("No aggregates or dimensions in the configuration: the same work as (e).");
            }
            result = new StepResult(
                    step,
                    window,
                    latency,
                    memory.figures(),
                    step == LadderStep.STREAMS_PASS_THROUGH ? -1 : running.stateBytes(),
                    dedupKeys,
                    String.join(" ", notes));
        }
        if (fillLake) {
            lake.fillTier0(stepConfig, registry, topics, settings.stepTimeout());
        }
        List<String> outputs = new ArrayList<>(TopologyNames.outputs(stepConfig));
        TopologyNames.inputs(stepConfig).forEach(t -> outputs.add(LadderConfigs.passThroughTopic(step, t)));
        topics.deleteAll(outputs, stepConfig.applicationId() + "-");
        return result;
    }

    /**
     * Runs the whole pipeline, unmeasured, so that the first step to use a piece of code (the clients, the gate, the
     * stores) does not pay alone for compiling it while the steps after it get it for free: chunk after chunk of the
     * input until the JIT compilers settle (on 2 cores a busy C2 thread takes CPU from the step being measured), or
     * the input is exhausted. Returns the records (input and repartitioned) it processed.
     */
    private WarmUp warmUp(BenchCluster broker, MaskingPolicy policy, BenchTopics topics) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long total = 0;
        double jitShare = 1;
        int round = 0;
        // Rounds over the whole input (each under its own application id) until the compilers settle, at most a few.
        while (round < WARM_UP_ROUNDS && jitShare > WARM_UP_JIT_SHARE) {
            round++;
            SluiceConfig warm = LadderConfigs.warmUp(config, broker.bootstrapServers(), round);
            long processed = 0;
            try (StreamsStep running = StreamsStep.start(
                    LadderStep.AGGREGATES_AND_DIMENSIONS,
                    warm,
                    policy,
                    warm.schemaRegistry().connect(environment),
                    settings.workDir(),
                    topics,
                    broker.pid())) {
                boolean more = true;
                while (more && jitShare > WARM_UP_JIT_SHARE) {
                    long wallBefore = System.nanoTime();
                    long jitBefore = jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
                    more = running.awaitProcessed(
                            processed + WARM_UP_RECORDS, Duration.ofSeconds(3), settings.stepTimeout());
                    long now = running.processed();
                    double wallMs = (System.nanoTime() - wallBefore) / 1e6;
                    // a chunk cut short by the end of the input has idle time in it: not a reading of the compilers
                    if (more) {
                        jitShare = jit.isCompilationTimeMonitoringSupported()
                                ? (jit.getTotalCompilationTime() - jitBefore) / wallMs
                                : 0;
                    }
                    total += now - processed;
                    processed = now;
                    LOG.info(
                            "warm-up round {}: {} records processed, JIT compilation {}% of the last chunk's time",
                            round, processed, Math.round(100 * jitShare));
                }
            }
            topics.deleteAll(TopologyNames.outputs(warm), warm.applicationId() + "-");
        }
        return new WarmUp(round, total, jitShare);
    }

    /** What the warm-up did: its rounds over the input, the records it processed, and the compilers' last share of the time. */
    private record WarmUp(int rounds, long records, double jitShare) {}

    /** The configured policy; a PII key whose variable is not set is replaced by a throwaway one, and the report says so. */
    private MaskingPolicy policy(List<String> setup) {
        Map<String, String> env = new HashMap<>(environment);
        for (PiiConfig.KeyRef key : config.pii().keys()) {
            String variable = key.secret().env();
            if (variable != null
                    && (env.get(variable) == null || env.get(variable).isBlank())) {
                env.put(variable, BENCH_KEY);
                setup.add(variable + " was not set: pseudonyms used a throwaway key (the input is synthetic).");
            }
        }
        return config.pii().toPolicy(env);
    }

    private void describeInput(List<String> lines, long loaded, Map<String, Long> perTopic, long startMs) {
        StringBuilder topics = new StringBuilder();
        perTopic.forEach((topic, n) ->
                topics.append(topics.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "`%s` %,d", topic, n)));
        lines.add(String.format(
                Locale.ROOT,
                "%,d generated records (%s) over %d event hours from %s, pre-loaded before the first step;",
                loaded,
                topics,
                settings.hours(),
                Instant.ofEpochMilli(startMs)));
        lines.add(String.format(
                Locale.ROOT,
                "about %d%% duplicates (re-delivered CDC changes, retried pushes) and %d%% of MMP events %d h late; "
                        + "CDC tables: snapshot reads, then inserts, updates and deletes, a few changes per key; MMP: about %d events per user.",
                FeedFaults.DUPLICATE_PERCENT,
                FeedFaults.LATE_PERCENT,
                FeedFaults.LATE_BY.toHours(),
                MmpFeed.EVENTS_PER_USER));
    }

    private void describeSetup(List<String> lines, BenchCluster broker, Optional<LatencyCarrier> carrier) {
        lines.add(String.format(
                Locale.ROOT,
                "%s input topics with %s partition(s);",
                broker.description(),
                config.topics().partitions().map(String::valueOf).orElse("the broker's default number of")));
        lines.add(
                config.schemaRegistry() == null
                        ? "schema registry: in-process (mock://), one per step, since the configuration names none;"
                        : "schema registry: the configured one for (d) to (g); in-process (mock://) for (c), so keep-everything schemas never reach it;");
        Map<String, String> kafka = config.kafka();
        lines.add(String.format(
                Locale.ROOT,
                "(a) to (f) at_least_once, committing every %s ms; (g) exactly_once_v2, committing every %s ms;",
                kafka.getOrDefault(
                        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, LadderConfigs.AT_LEAST_ONCE_COMMIT_INTERVAL_MS),
                kafka.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")));
        lines.add(String.format(
                Locale.ROOT,
                "%s stream thread(s); RocksDB memory %s; the configuration's other kafka: settings as written.",
                kafka.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1"),
                kafka.getOrDefault(StreamsSettings.ROCKSDB_MEMORY_CONFIG, "64MB (default)")));
        if (carrier.isEmpty()) {
            lines.add("No latency: the policy keeps no field that could carry a send time.");
        } else {
            lines.add(
                    "A latency run appends live records to the source topics: the input is then produced again into fresh "
                            + "topics, so every step drains the same records.");
        }
    }
}
