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
 * @param latencySteps    the steps whose latency is measured (some of {@link #LATENCY_CAPABLE})
 */
record BenchSettings(
        long records,
        int hours,
        OptionalDouble rate,
        Duration latencyDuration,
        Set<LadderStep> steps,
        Duration stepTimeout,
        Path workDir,
        boolean configuredCluster,
        Set<LadderStep> latencySteps) {
    /** The steps that write curated records, whose latency can be measured: a kept field carries the send time. */
    static final Set<LadderStep> LATENCY_CAPABLE = EnumSet.of(
            LadderStep.DECODE_ENCODE,
            LadderStep.MASKING,
            LadderStep.DEDUP,
            LadderStep.AGGREGATES_AND_DIMENSIONS,
            LadderStep.EXACTLY_ONCE);
    /**
     * The steps whose latency is measured by default: the whole pipeline, without and with exactly-once. A latency
     * run between two drain steps leaves the broker and the heap busier for the next one (a run of (c) to (g)
     * measured (d) 35% slower than without), so the others are measured on request.
     */
    static final Set<LadderStep> DEFAULT_LATENCY_STEPS =
            EnumSet.of(LadderStep.AGGREGATES_AND_DIMENSIONS, LadderStep.EXACTLY_ONCE);

    BenchSettings {
        steps = steps.isEmpty() ? EnumSet.noneOf(LadderStep.class) : EnumSet.copyOf(steps);
        latencySteps = latencySteps.isEmpty() ? EnumSet.noneOf(LadderStep.class) : EnumSet.copyOf(latencySteps);
    }
}
