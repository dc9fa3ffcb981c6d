package io.sluice.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.ConfigException;
import io.sluice.config.HttpSettings;
import io.sluice.config.SecretRef;
import io.sluice.config.SluiceConfig;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.ops.BearerToken;
import io.sluice.ops.DimensionQueries;
import io.sluice.ops.HttpListener;
import io.sluice.ops.LakeFreshness;
import io.sluice.ops.OpsServer;
import io.sluice.runtime.SluicePipeline;
import io.sluice.sinks.LakeCompactor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice run}: the production process. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Production: runs the topology and the lake sink against the Kafka cluster in the "
                + "configuration until stopped, and serves /metrics, /health/live and /health/ready "
                + "(http.port, default 9464) and, if http.dimensions is enabled, /dimensions on a port of its"
                + " own. SIGTERM closes Kafka Streams and flushes the lake sink (within 30 s), then exits 0. "
                + "Compaction runs separately: sluice compact, on a schedule.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "sluice-state",
            description = "Kafka Streams state directory, on a persistent volume (default: ${DEFAULT-VALUE}); "
                    + "kafka.state.dir wins if set.")
    Path stateDir;

    @Option(
            names = "--instance-id",
            paramLabel = "ID",
            defaultValue = "${env:SLUICE_INSTANCE_ID}",
            description = "Static group membership id (Kafka group.instance.id), e.g. the pod name, so that a restart "
                    + "within session.timeout.ms does not rebalance. Default: $SLUICE_INSTANCE_ID, if set.")
    String instanceId;

    @Option(
            names = "--application-server",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:SLUICE_APPLICATION_SERVER}",
            description = "This instance's address for interactive queries (Kafka application.server). "
                    + "Default: $SLUICE_APPLICATION_SERVER, if set.")
    String applicationServer;

    /** This instance's address for interactive queries (the /dimensions listener), or null when none is configured. */
    private static HostInfo self(SluiceConfig config) {
        String server = config.kafkaProperties(System.getenv()).get("application.server");
        return server == null || server.isBlank() ? null : HostInfo.buildFromEndpoint(server);
    }

    /** The token /dimensions requires, read from its file or variable. */
    static BearerToken dimensionsToken(HttpSettings http) {
        SecretRef token = http.dimensions().token();
        return BearerToken.of(token.key(), token.resolve(System.getenv()));
    }

    @Override
    public Integer call() throws InterruptedException {
        SluiceConfig loaded = config.load();
        if (loaded.schemaRegistry() == null) {
            throw new ConfigException(
                    "schemaRegistry.url",
                    "is required for sluice run: curated topics are Avro with schemas in a "
                            + "Confluent-compatible registry (sluice demo and replay start an embedded one)");
        }
        Map<String, String> overrides = new HashMap<>();
        if (instanceId != null && !instanceId.isBlank()) {
            overrides.put("group.instance.id", instanceId);
        }
        if (applicationServer != null && !applicationServer.isBlank()) {
            overrides.put("application.server", applicationServer);
        }
        SluiceConfig effective = loaded.withKafka(overrides);
        PrometheusMeterRegistry registry = SluiceMetrics.prometheusWithJvm();
        AtomicReference<SluicePipeline> running = new AtomicReference<>();
        HttpSettings http = effective.http();
        OpsServer ops = http.enabled()
                ? OpsServer.start(
                        http,
                        registry,
                        () -> running.get() == null ? null : running.get().streams(),
                        () -> running.get() == null
                                ? 0
                                : running.get().restoreProgress().remainingRecords(),
                        () -> running.get() == null
                                ? java.util.List.of()
                                : running.get().health().degraded())
                : null;
        HttpListener dimensions = http.dimensions().enabled()
                ? new DimensionQueries(
                                effective.dimensions(),
                                () -> running.get() == null
                                        ? null
                                        : running.get().streams(),
                                self(effective),
                                dimensionsToken(http),
                                http.requestTimeout())
                        .serve(http, registry)
                : null;
        SluicePipeline pipeline = SluicePipeline.start(
                effective,
                effective.pii().toPolicy(System.getenv()),
                new SluiceMetrics(registry),
                effective.schemaRegistry().connect(System.getenv()),
                stateDir,
                Map.of());
        running.set(pipeline);
        LakeFreshness freshness = new LakeFreshness(effective.lake().open(), registry);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-lake-freshness");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(freshness::refresh, 0, 60, TimeUnit.SECONDS);
        effective.lake().compactEvery().ifPresent(every -> {
            SluiceMetrics metrics = new SluiceMetrics(registry);
            LakeCompactor compactor = effective
                    .lake()
                    .compactor(
                            effective.lake().open(),
                            effective.lake().compaction(),
                            new io.sluice.sinks.IcebergMetrics(registry));
            scheduler.scheduleWithFixedDelay(
                    () -> {
                        try {
                            long now = System.currentTimeMillis();
                            metrics.lake()
                                    .compaction(
                                            compactor.compact(h -> h.isClosed(
                                                    now,
                                                    effective
                                                            .lake()
                                                            .compaction()
                                                            .grace())),
                                            false);
                            freshness.refresh();
                        } catch (RuntimeException e) {
                            metrics.lake().compaction(null, true);
                            LOG.error("compaction pass failed; the next pass repairs it: {}", e.toString());
                        }
                    },
                    every.toMillis(),
                    every.toMillis(),
                    TimeUnit.MILLISECONDS);
        });

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("stopping: closing Kafka Streams and flushing the lake sink");
                            long started = System.nanoTime();
                            pipeline.close();
                            scheduler.shutdownNow();
                            if (ops != null) {
                                ops.close();
                            }
                            if (dimensions != null) {
                                dimensions.close();
                            }
                            LOG.info(
                                    "stopped cleanly in {} ms",
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                            stopped.countDown();
                        },
                        "sluice-shutdown"));
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            pipeline.checkHealthy();
        }
        return 0;
    }
}
