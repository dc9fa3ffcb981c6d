package io.sluice.bench;

import io.sluice.config.ConfigException;
import io.sluice.config.SluiceConfig;
import io.sluice.replay.EmbeddedRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/** The entry point of {@code sluice bench}: validates the arguments, runs the ladder and renders its report. */
public final class BenchRunner {

    private BenchRunner() {}

    /**
     * Runs the bench and returns its Markdown report.
     *
     * @param steps   ladder letters, e.g. {@code abcdefghi}
     * @param workDir where to work, or null for a temporary directory removed afterwards
     * @param command the command line, as the report states it
     * @param configuredCluster run on the configured cluster instead of an embedded broker
     * @param latencySteps ladder letters of the steps whose latency to measure, e.g. {@code fg}
     */
    public static String run(
            SluiceConfig config,
            Map<String, String> environment,
            long records,
            int hours,
            OptionalDouble rate,
            int latencySeconds,
            String steps,
            long stepTimeoutSeconds,
            Path workDir,
            String command,
            boolean configuredCluster,
            String latencySteps)
            throws IOException, InterruptedException {
        Set<LadderStep> latency = latencySteps(latencySteps);
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("sluice-bench-");
        try {
            BenchSettings settings = new BenchSettings(
                    records,
                    hours,
                    rate,
                    Duration.ofSeconds(latencySeconds),
                    steps(steps),
                    Duration.ofSeconds(stepTimeoutSeconds),
                    work,
                    configuredCluster,
                    latency);
            return BenchReport.render(new Bench(config, environment, settings).run(command));
        } finally {
            if (workDir == null) {
                EmbeddedRun.deleteTree(work);
            }
        }
    }

    static Set<LadderStep> latencySteps(String letters) {
        Set<LadderStep> steps = EnumSet.noneOf(LadderStep.class);
        for (char letter : letters.toCharArray()) {
            LadderStep step;
            try {
                step = LadderStep.ofLetter(letter);
            } catch (IllegalArgumentException e) {
                step = null;
            }
            if (step == null || !BenchSettings.LATENCY_CAPABLE.contains(step)) {
                throw new ConfigException(
                        "--latency-steps",
                        "'" + letter + "' is not a step with curated records to time; use letters c to g");
            }
            steps.add(step);
        }
        return steps;
    }

    static Set<LadderStep> steps(String letters) {
        Set<LadderStep> steps = EnumSet.noneOf(LadderStep.class);
        for (char letter : letters.toCharArray()) {
            try {
                steps.add(LadderStep.ofLetter(letter));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--steps", "'" + letter + "' is not a ladder step; use letters a to i");
            }
        }
        if (steps.isEmpty()) {
            throw new ConfigException("--steps", "name at least one step");
        }
        return steps;
    }
}
