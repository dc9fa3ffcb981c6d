package io.sluice.e2e;

import io.sluice.config.ConfigLoader;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.replay.EmbeddedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference a chaos case is compared with: the same input through the same configuration in
 * one uninterrupted run ({@code sluice replay}'s embedded run on a broker of its own), every hour
 * compacted. Computed once per input in a test JVM, since every chaos class compares with it.
 */
final class Uninterrupted {
    private static final Logger LOG = LoggerFactory.getLogger(Uninterrupted.class);
    private static final Map<ChaosInput, ChaosOutcome> RUNS = new ConcurrentHashMap<>();

    private Uninterrupted() {}

    /**
     * @param config a configuration naming the registry to write to; its broker and lake are replaced
     * @param work   where the run's broker, lake and state go
     */
    static synchronized ChaosOutcome of(ChaosInput input, Path config, String registryUrl, Path work) throws Exception {
        ChaosOutcome known = RUNS.get(input);
        if (known != null) {
            return known;
        }
        long started = System.nanoTime();
        Files.createDirectories(work);
        EmbeddedRun run = new EmbeddedRun(ConfigLoader.load(config), System.getenv(), Duration.ofMinutes(5));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            EmbeddedRun.Result result =
                    run.run(kafka, input.records(), work.resolve("lake"), work.resolve("out"), work.resolve("state"));
            ChaosOutcome outcome = ChaosOutcome.read(kafka.bootstrapServers(), registryUrl, result.lake());
            LOG.info(
                    "uninterrupted run of {} events: {} curated, lake {} in {} ms",
                    input.events(),
                    outcome.curated().size(),
                    outcome.lakeCounts(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            RUNS.put(input, outcome);
            return outcome;
        }
    }
}
