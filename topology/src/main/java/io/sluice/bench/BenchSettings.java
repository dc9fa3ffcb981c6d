package io.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * How a bench run is sized.
 *
 * @param records         input records to pre-load
 * @param hours           event hours the input spans
 * @param rate            the open-loop rate for the latency runs; empty for half of each step's measured maximum
 * @param latencyDuration how long each latency run offers load; zero skips them
 * @param steps           the ladder steps to run
 * @param stepTimeout     the longest a step may take to drain
 * @param workDir         broker data, state and lake go under it
 * @param configuredCluster run on the cluster {@code kafka.bootstrap.servers} names rather than an embedded broker
 */
record BenchSettings(long records, int hours, OptionalDouble rate, Duration latencyDuration, Set<LadderStep> steps,
                     Duration stepTimeout, Path workDir, boolean configuredCluster) {
    /** The steps whose latency is measured: the whole pipeline, without and with exactly-once. */
    static final Set<LadderStep> LATENCY_STEPS = EnumSet.of(LadderStep.AGGREGATES_AND_DIMENSIONS, LadderStep.EXACTLY_ONCE);

    BenchSettings {
        steps = steps.isEmpty() ? EnumSet.noneOf(LadderStep.class) : EnumSet.copyOf(steps);
    }
}
