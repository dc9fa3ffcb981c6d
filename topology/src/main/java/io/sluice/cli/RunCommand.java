package io.sluice.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.SluiceConfig;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.runtime.SluicePipeline;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice run}: the production process. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Production: runs the topology and the lake sink against the Kafka cluster in the",
            "configuration until stopped (SIGTERM closes Kafka Streams and flushes the lake sink).",
            "Compaction runs separately: sluice compact, on a schedule."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "sluice-state",
            description = "Kafka Streams state directory, on a persistent volume (default: ${DEFAULT-VALUE}); kafka.state.dir wins if set.")
    Path stateDir;

    @Override
    public Integer call() throws InterruptedException {
        SluiceConfig loaded = config.load();
        CountDownLatch stopped = new CountDownLatch(1);
        SluicePipeline pipeline = SluicePipeline.start(loaded, loaded.pii().toPolicy(System.getenv()),
                new SluiceMetrics(new SimpleMeterRegistry()), stateDir, Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            pipeline.checkHealthy();
        }
        return 0;
    }
}
